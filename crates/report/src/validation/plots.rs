//! SVG plots of a validation, drawn with plotters: the signed error per layer, analytical versus
//! simulated runtime on log axes, and the simulator's stall breakdown per layer.

use crate::plot_style::{draw_legend, failed, layer_chart, LayerAxis, LayerChartSpec};
use maestro_validate::{NetworkValidation, Quantity};
use plotters::coord::combinators::IntoLogRange;
use plotters::prelude::*;
use thiserror::Error;

/// Plots are this size, in pixels.
const SIZE: (u32, u32) = (1000, 560);

/// Plotters could not draw (with an in-memory SVG target this does not happen in practice).
#[derive(Debug, Error)]
#[error("cannot draw the {plot} plot: {message}")]
pub struct PlotError {
    pub plot: &'static str,
    pub message: String,
}

const SERIES: [(Quantity, RGBColor); 4] = [
    (Quantity::Energy, RGBColor(214, 39, 40)),
    (Quantity::L2Reads, RGBColor(44, 160, 44)),
    (Quantity::NocElements, RGBColor(148, 103, 189)),
    (Quantity::L2Requirement, RGBColor(140, 86, 75)),
];
const RUNTIME_COLOUR: RGBColor = RGBColor(31, 119, 180);

/// Bars of the runtime error per layer, with the other quantities' errors as markers.
pub fn error_per_layer_svg(validation: &NetworkValidation) -> Result<String, PlotError> {
    const PLOT: &str = "error per layer";
    let fail = failed(PLOT);
    let layers = &validation.layers;
    let errors = |quantity: Quantity| -> Vec<(usize, f64)> {
        layers
            .iter()
            .enumerate()
            .filter_map(|(position, layer)| {
                let error = layer.quantity(quantity)?.error_percent?;
                error.is_finite().then_some((position, error))
            })
            .collect()
    };
    let mut low: f64 = -1.0;
    let mut high: f64 = 1.0;
    for quantity in Quantity::ALL {
        for (_, error) in errors(quantity) {
            low = low.min(error);
            high = high.max(error);
        }
    }
    let margin = (high - low) * 0.08;
    let axis = LayerAxis::new(layers.iter().map(|layer| layer.layer.as_str()));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(&fail)?;
        let spec = LayerChartSpec {
            caption: format!("Signed error per layer: {}", validation.network),
            y_range: (low - margin)..(high + margin),
            y_desc: "(analytical − simulated) / simulated, %",
            y_label_area_size: 70,
            y_label_formatter: None,
        };
        let mut chart = layer_chart(&root, &axis, spec, PLOT)?;
        chart
            .draw_series(
                errors(Quantity::Runtime)
                    .into_iter()
                    .map(|(position, error)| {
                        let x = position as f64;
                        Rectangle::new(
                            [(x - 0.35, 0.0), (x + 0.35, error)],
                            RUNTIME_COLOUR.filled(),
                        )
                    }),
            )
            .map_err(&fail)?
            .label("runtime")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 10, y + 5)], RUNTIME_COLOUR.filled())
            });
        for (quantity, colour) in SERIES {
            chart
                .draw_series(errors(quantity).into_iter().map(move |(position, error)| {
                    Circle::new((position as f64, error), 4, colour.filled())
                }))
                .map_err(&fail)?
                .label(quantity.label().to_lowercase())
                .legend(move |(x, y)| Circle::new((x + 5, y), 4, colour.filled()));
        }
        chart
            .draw_series(LineSeries::new(
                [(-0.5, 0.0), (layers.len() as f64 - 0.5, 0.0)],
                BLACK.stroke_width(1),
            ))
            .map_err(&fail)?;
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight, PLOT)?;
        root.present().map_err(&fail)?;
    }
    Ok(svg)
}

/// Analytical against simulated runtime per layer, both axes logarithmic, with the line of agreement.
pub fn runtime_scatter_svg(validation: &NetworkValidation) -> Result<String, PlotError> {
    const PLOT: &str = "runtime scatter";
    let fail = failed(PLOT);
    let points: Vec<(f64, f64)> = validation
        .layers
        .iter()
        .filter_map(|layer| {
            let runtime = layer.quantity(Quantity::Runtime)?;
            // Log axes cannot show zero; a zero-cycle layer is drawn at one cycle.
            Some((runtime.simulated.max(1.0), runtime.analytical.max(1.0)))
        })
        .collect();
    let smallest = points
        .iter()
        .flat_map(|&(x, y)| [x, y])
        .fold(f64::INFINITY, f64::min);
    let largest = points.iter().flat_map(|&(x, y)| [x, y]).fold(1.0, f64::max);
    let low = if smallest.is_finite() {
        smallest / 2.0
    } else {
        1.0
    };
    let high = largest * 2.0;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 640)).into_drawing_area();
        root.fill(&WHITE).map_err(&fail)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Runtime per layer: {}", validation.network),
                ("sans-serif", 22),
            )
            .margin(16)
            .x_label_area_size(55)
            .y_label_area_size(85)
            .build_cartesian_2d((low..high).log_scale(), (low..high).log_scale())
            .map_err(&fail)?;
        chart
            .configure_mesh()
            .x_desc("simulated cycles")
            .y_desc("analytical cycles")
            .x_label_formatter(&|x| format!("{x:.0e}"))
            .y_label_formatter(&|y| format!("{y:.0e}"))
            .draw()
            .map_err(&fail)?;
        chart
            .draw_series(LineSeries::new(
                [(low, low), (high, high)],
                BLACK.stroke_width(1),
            ))
            .map_err(&fail)?
            .label("analytical = simulated")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLACK));
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&point| Circle::new(point, 5, RUNTIME_COLOUR.filled())),
            )
            .map_err(&fail)?
            .label("layer")
            .legend(|(x, y)| Circle::new((x + 8, y), 5, RUNTIME_COLOUR.filled()));
        draw_legend(&mut chart, SeriesLabelPosition::UpperLeft, PLOT)?;
        root.present().map_err(&fail)?;
    }
    Ok(svg)
}

/// Stacked bars per layer: where a working PE's time went in the simulator (cycles per used PE).
pub fn stall_breakdown_svg(validation: &NetworkValidation) -> Result<String, PlotError> {
    const PLOT: &str = "stall breakdown";
    let fail = failed(PLOT);
    let parts: [(&str, RGBColor); 5] = [
        ("computing", RGBColor(44, 160, 44)),
        ("waiting for input", RGBColor(31, 119, 180)),
        ("waiting for egress", RGBColor(255, 127, 14)),
        ("waiting for off-chip", RGBColor(214, 39, 40)),
        ("idle", RGBColor(170, 170, 170)),
    ];
    let stacks: Vec<[f64; 5]> = validation
        .layers
        .iter()
        .map(|layer| {
            let stalls = &layer.stalls;
            [
                stalls.computing,
                stalls.waiting_for_input,
                stalls.waiting_for_egress,
                stalls.waiting_for_offchip,
                stalls.idle,
            ]
        })
        .collect();
    let tallest = stacks
        .iter()
        .map(|stack| stack.iter().sum::<f64>())
        .fold(1.0, f64::max);
    let axis = LayerAxis::new(validation.layers.iter().map(|layer| layer.layer.as_str()));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(&fail)?;
        let y_label = |y: &f64| format!("{y:.2e}");
        let spec = LayerChartSpec {
            caption: format!("Simulator time per working PE: {}", validation.network),
            y_range: 0.0..tallest * 1.15,
            y_desc: "cycles per working PE",
            y_label_area_size: 85,
            y_label_formatter: Some(&y_label),
        };
        let mut chart = layer_chart(&root, &axis, spec, PLOT)?;
        for (part, (name, colour)) in parts.iter().enumerate() {
            let colour = *colour;
            chart
                .draw_series(stacks.iter().enumerate().map(|(position, stack)| {
                    let below: f64 = stack[..part].iter().sum();
                    let x = position as f64;
                    Rectangle::new(
                        [(x - 0.35, below), (x + 0.35, below + stack[part])],
                        colour.filled(),
                    )
                }))
                .map_err(&fail)?
                .label(*name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled())
                });
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight, PLOT)?;
        root.present().map_err(&fail)?;
    }
    Ok(svg)
}
