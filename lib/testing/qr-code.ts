import { SimulatorError } from './simulator-error';

/** The part of `uqr` the simulator uses. */
interface Uqr {
  renderSVG(text: string, options: { border: number }): string;
}

/** How to get QR codes drawn, when the optional package is missing. */
export const QR_INSTALL_HINT =
  'QR codes need the optional package uqr: npm install --save-dev uqr (or npx -p nestjs-verigator -p uqr verigator-simulator)';

/**
 * Draws `text` as a QR code in SVG with `uqr`, an optional peer loaded on the first call: a
 * production install, and tests that never show a QR code, need not install it.
 *
 * @throws SimulatorError 501 with {@link QR_INSTALL_HINT} when `uqr` is not installed.
 */
export function renderQrSvg(text: string): string {
  return loadUqr().renderSVG(text, { border: 2 });
}

/** Whether QR codes can be drawn (`uqr` is installed). */
export function canRenderQr(): boolean {
  try {
    loadUqr();
    return true;
  } catch {
    return false;
  }
}

function loadUqr(): Uqr {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('uqr') as Uqr;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    throw new SimulatorError(501, QR_INSTALL_HINT);
  }
}
