//! Words and pictures: every English and French sentence, number and date
//! format, the charts, the HTML reports, the CSV and JSON tables and the Excel
//! workbooks. Reads results; simulates nothing.

pub mod calibration_report;
pub mod chart;
pub mod output;
pub mod plan_report;
pub mod report;
pub mod text;
pub mod workbook;
