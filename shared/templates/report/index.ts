export { reportToJson } from './json.js';
export { reportToCsv, type CsvCell } from './csv.js';
export { reportToHtml, type ReportHtmlOptions } from './html.js';
export { type BarChartOptions, type BarRow } from './svg.js';
