//! Rendering of reports: tables, CSV with the reference's columns, JSON, SVG plots.
