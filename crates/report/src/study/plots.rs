//! SVG plots of the studies, drawn with plotters: runtime and energy against the first swept
//! parameter (one line per dataflow and combination of the other parameters; the model dashed, the
//! simulator solid), and the DSE scatter of objective against area with the Pareto front.

use crate::plot_style::{category_label, draw_legend, failed};
use crate::validation::PlotError;
use maestro_study::{DseResult, SweepResult};
use plotters::coord::combinators::IntoLogRange;
use plotters::prelude::*;

const SIZE: (u32, u32) = (1000, 900);
const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

/// A line of the sweep plot: its label and `(x position, runtime, energy)` per point, per engine.
struct Line {
    label: String,
    model: Vec<(f64, f64, f64)>,
    sim: Vec<(f64, f64, f64)>,
}

fn sweep_lines(result: &SweepResult) -> (Vec<Line>, Vec<String>) {
    let mut x_labels: Vec<String> = Vec::new();
    let mut lines: Vec<Line> = Vec::new();
    for point in &result.points {
        let x_label = point
            .values
            .first()
            .map(|value| value.to_string())
            .unwrap_or_else(|| "base".to_owned());
        let x = match x_labels.iter().position(|label| *label == x_label) {
            Some(position) => position,
            None => {
                x_labels.push(x_label);
                x_labels.len() - 1
            }
        } as f64;
        let mut label = point.dataflow.to_owned();
        for (param, value) in result.params.iter().zip(&point.values).skip(1) {
            label.push_str(&format!(" {}={}", param.name(), value));
        }
        let line = match lines.iter().position(|line| line.label == label) {
            Some(position) => &mut lines[position],
            None => {
                lines.push(Line {
                    label,
                    model: Vec::new(),
                    sim: Vec::new(),
                });
                let last = lines.len() - 1;
                &mut lines[last]
            }
        };
        if let Some(total) = point.analytical_total {
            line.model.push((x, total.runtime as f64, total.energy));
        }
        if let Some(total) = point.simulated_total {
            line.sim.push((x, total.runtime as f64, total.energy));
        }
    }
    (lines, x_labels)
}

/// A positive logarithmic range covering `values` (a decade around a single value).
fn log_range(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (mut low, mut high) = (f64::INFINITY, 0.0f64);
    for value in values.filter(|value| *value > 0.0 && value.is_finite()) {
        low = low.min(value);
        high = high.max(value);
    }
    if !low.is_finite() {
        return 1.0..10.0;
    }
    (low / 1.5)..(high * 1.5)
}

/// Runtime (top) and energy (bottom) against the first swept parameter, summed over the layers.
pub fn sweep_plot_svg(result: &SweepResult) -> Result<String, PlotError> {
    const PLOT: &str = "sweep";
    let fail = failed(PLOT);
    let (lines, x_labels) = sweep_lines(result);
    let x_name = result
        .params
        .first()
        .map_or("design point", |param| param.name());
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(&fail)?;
        let panels = root.split_evenly((2, 1));
        for (panel, (quantity, pick)) in panels
            .iter()
            .zip([("runtime (cycles)", 1usize), ("energy (nJ)", 2usize)])
        {
            let value = |point: &(f64, f64, f64)| if pick == 1 { point.1 } else { point.2 };
            let range = log_range(
                lines
                    .iter()
                    .flat_map(|line| line.model.iter().chain(&line.sim))
                    .map(value),
            );
            let mut chart = ChartBuilder::on(panel)
                .caption(
                    format!("{}: {quantity} vs {x_name}", result.network),
                    ("sans-serif", 20),
                )
                .margin(12)
                .x_label_area_size(40)
                .y_label_area_size(80)
                .build_cartesian_2d(
                    -0.5f64..(x_labels.len().max(1) as f64 - 0.5),
                    range.log_scale(),
                )
                .map_err(&fail)?;
            chart
                .configure_mesh()
                .x_labels(x_labels.len().max(1))
                .x_label_formatter(&|x| category_label(&x_labels, *x))
                .x_desc(x_name)
                .y_desc(quantity)
                .draw()
                .map_err(&fail)?;
            for (index, line) in lines.iter().enumerate() {
                let colour = PALETTE[index % PALETTE.len()];
                let style = ShapeStyle::from(colour).stroke_width(2);
                if !line.model.is_empty() {
                    let points: Vec<(f64, f64)> = line
                        .model
                        .iter()
                        .map(|point| (point.0, value(point)))
                        .collect();
                    chart
                        .draw_series(DashedLineSeries::new(points.clone(), 8, 5, style))
                        .map_err(&fail)?
                        .label(if line.sim.is_empty() {
                            line.label.clone()
                        } else {
                            format!("{} (model, dashed)", line.label)
                        })
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
                        });
                    chart
                        .draw_series(
                            points
                                .iter()
                                .map(|&point| Circle::new(point, 3, colour.filled())),
                        )
                        .map_err(&fail)?;
                }
                if !line.sim.is_empty() {
                    let points: Vec<(f64, f64)> = line
                        .sim
                        .iter()
                        .map(|point| (point.0, value(point)))
                        .collect();
                    chart
                        .draw_series(LineSeries::new(points.clone(), style))
                        .map_err(&fail)?
                        .label(format!("{} (simulated)", line.label))
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
                        });
                    chart
                        .draw_series(
                            points
                                .iter()
                                .map(|&point| TriangleMarker::new(point, 4, colour.filled())),
                        )
                        .map_err(&fail)?;
                }
            }
            draw_legend(&mut chart, SeriesLabelPosition::UpperRight, PLOT)?;
        }
        root.present().map_err(&fail)?;
    }
    Ok(svg)
}

/// Every valid point as objective against area, the Pareto front highlighted and joined.
pub fn dse_scatter_svg(result: &DseResult) -> Result<String, PlotError> {
    const PLOT: &str = "design-space scatter";
    let fail = failed(PLOT);
    let objective = |index: usize| result.points[index].objective(result.objective);
    let x_range = log_range(result.points.iter().map(|point| point.area_mm2));
    let y_range = log_range((0..result.points.len()).map(objective));
    let front = RGBColor(214, 39, 40);
    let others = RGBColor(31, 119, 180);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 620)).into_drawing_area();
        root.fill(&WHITE).map_err(&fail)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "{}: {} vs area, Pareto front in red",
                    result.network,
                    result.objective.name()
                ),
                ("sans-serif", 20),
            )
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(90)
            .build_cartesian_2d(x_range.log_scale(), y_range.log_scale())
            .map_err(&fail)?;
        chart
            .configure_mesh()
            .x_desc("area (mm²)")
            .y_desc(result.objective.name())
            .draw()
            .map_err(&fail)?;
        chart
            .draw_series((0..result.points.len()).map(|index| {
                Circle::new(
                    (result.points[index].area_mm2, objective(index)),
                    3,
                    others.mix(0.5).filled(),
                )
            }))
            .map_err(&fail)?
            .label("valid point")
            .legend(move |(x, y)| Circle::new((x + 5, y), 3, others.filled()));
        let front_points: Vec<(f64, f64)> = result
            .pareto
            .iter()
            .map(|&index| (result.points[index].area_mm2, objective(index)))
            .collect();
        chart
            .draw_series(LineSeries::new(front_points.clone(), front.stroke_width(2)))
            .map_err(&fail)?;
        chart
            .draw_series(
                front_points
                    .iter()
                    .map(|&point| Circle::new(point, 5, front.filled())),
            )
            .map_err(&fail)?
            .label("Pareto front")
            .legend(move |(x, y)| Circle::new((x + 5, y), 5, front.filled()));
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight, PLOT)?;
        root.present().map_err(&fail)?;
    }
    Ok(svg)
}
