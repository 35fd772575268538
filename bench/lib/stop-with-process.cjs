/**
 * Ties a child process's life to this one, so a benchmark that crashes or is interrupted leaves
 * nothing running: the child gets `signal` when this process exits (a normal end,
 * `process.exit()`, an uncaught error) and when it receives SIGINT, SIGTERM or SIGHUP, after
 * which that signal is raised again so this process ends as it would have. The handlers go away
 * when the child exits. Only SIGKILL of this process escapes it.
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function stopWithProcess(child, signal = 'SIGKILL') {
  const onExit = () => child.kill(signal);
  const onSignal = (received) => {
    child.kill(signal);
    release();
    if (process.listenerCount(received) === 0) process.kill(process.pid, received);
  };
  const release = () => {
    process.off('exit', onExit);
    for (const name of SIGNALS) process.off(name, onSignal);
  };
  process.on('exit', onExit);
  for (const name of SIGNALS) process.on(name, onSignal);
  child.once('exit', release);
  return child;
}

module.exports = { stopWithProcess };
