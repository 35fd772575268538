import { Logger } from '@nestjs/common';
import { createSampleApp } from './sample-bootstrap';
import { readSampleSettings } from './sample-settings';
import { walkthrough } from './walkthrough';

async function main(): Promise<void> {
  const logger = new Logger('Sample');
  const settings = readSampleSettings(process.env);
  const sample = await createSampleApp(settings, logger);
  await sample.app.listen(settings.port, '127.0.0.1');
  const appUrl = (await sample.app.getUrl()).replace('[::1]', 'localhost');
  logger.log(`Sample app listening on ${appUrl}`);
  if (sample.simulator)
    logger.log(`Verigator simulator inbox (open it in a browser): ${sample.simulator.url}/`);
  process.stdout.write(
    `\n${walkthrough(appUrl, sample.simulator?.url, sample.config.VERIGATOR_SERVICE_ID)}\n\nPress Ctrl+C to stop.\n`,
  );
  const stop = async () => {
    await sample.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  new Logger('Sample').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
