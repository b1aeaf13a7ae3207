// The histogram's parser lives in the scenario stage, which reads the files a notebook's
// `hardware:` names; the hw stage reads the same text from QEMU's console.
export { parseHistogram, HistogramError } from '../scenario/histogram.ts';
