//! Written reports and exports (issue #3): principal / record / PPC / subjects reports in md, html and
//! json, the SVG timeline, the iCalendar export and the readiness checklist.
