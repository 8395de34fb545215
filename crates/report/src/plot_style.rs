//! Plotters scaffolding shared by the SVG plots: error mapping, the legend box, and charts whose x
//! axis is one category per layer, with the layer names written downwards under the axis.

use crate::validation::PlotError;
use plotters::coord::ranged1d::{BoldPoints, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

/// The SVG drawing area every plot draws on.
pub(crate) type SvgArea<'a> = DrawingArea<SVGBackend<'a>, Shift>;
/// A chart with one category per layer on the x axis and a linear y axis.
pub(crate) type LayerChart<'area, 'svg> =
    ChartContext<'area, SVGBackend<'svg>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Layer names are written under the axis only up to this many layers (beyond, they would overlap).
const MAX_NAMED_LAYERS: usize = 60;
/// With more layers than that, this many evenly spaced layers are named.
const SPARSE_LABEL_COUNT: usize = 10;
/// Font size of the layer names, in plotters units.
const LAYER_NAME_FONT_SIZE: u32 = 11;
/// Room for one character of a rotated layer name, in pixels: an upper bound on the average glyph
/// width of the font plotters writes (11 units become 8.9 pixels), so a name never reaches the
/// bottom of the image.
const LAYER_NAME_CHAR_WIDTH: u32 = 6;
/// Longer layer names are cut to this many characters, the last an ellipsis, so that the plot keeps
/// most of the image.
const MAX_LAYER_NAME_CHARS: usize = 24;
/// Pixels between the x axis and the start of a layer name: past the tick marks.
const LAYER_NAME_GAP: u32 = 8;
/// Pixels kept for the axis description under the names, when there is one.
const AXIS_DESC_ROOM: u32 = 24;

/// Maps a plotters error to a [`PlotError`] naming the plot.
pub(crate) fn failed<E: std::fmt::Display>(plot: &'static str) -> impl Fn(E) -> PlotError {
    move |error| PlotError {
        plot,
        message: error.to_string(),
    }
}

/// Draws the legend of every labelled series: a white box with a black border at `position`.
pub(crate) fn draw_legend<'area, DB, CT>(
    chart: &mut ChartContext<'area, DB, CT>,
    position: SeriesLabelPosition,
    plot: &'static str,
) -> Result<(), PlotError>
where
    DB: DrawingBackend + 'area,
    CT: CoordTranslate,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(failed(plot))
}

/// The text of the category at an integer axis position; nothing between categories.
pub(crate) fn category_label<S: AsRef<str>>(labels: &[S], x: f64) -> String {
    let rounded = x.round();
    if (x - rounded).abs() > 1e-6 || rounded < 0.0 {
        return String::new();
    }
    labels
        .get(rounded as usize)
        .map_or_else(String::new, |label| label.as_ref().to_owned())
}

/// The per-layer x axis: the (possibly shortened) layer names and how many of them are written.
pub(crate) struct LayerAxis {
    names: Vec<String>,
    label_count: usize,
}

impl LayerAxis {
    pub(crate) fn new<'n>(names: impl IntoIterator<Item = &'n str>) -> Self {
        let names: Vec<String> = names.into_iter().map(shortened).collect();
        let label_count = if names.len() <= MAX_NAMED_LAYERS {
            names.len()
        } else {
            SPARSE_LABEL_COUNT
        };
        Self { names, label_count }
    }

    /// With too many layers to name each, the axis is described as "layer".
    fn description(&self) -> &'static str {
        if self.names.len() <= MAX_NAMED_LAYERS {
            ""
        } else {
            "layer"
        }
    }

    /// Height under the axis that holds the longest written name, rotated, and the description.
    fn label_area_size(&self) -> u32 {
        let longest = self
            .names
            .iter()
            .map(|name| name.chars().count())
            .max()
            .unwrap_or(0);
        let longest = u32::try_from(longest).unwrap_or(u32::MAX);
        let desc_room = if self.description().is_empty() {
            0
        } else {
            AXIS_DESC_ROOM
        };
        LAYER_NAME_GAP
            .saturating_add(longest.saturating_mul(LAYER_NAME_CHAR_WIDTH))
            .saturating_add(LAYER_NAME_GAP)
            .saturating_add(desc_room)
    }
}

/// A name cut to [`MAX_LAYER_NAME_CHARS`] characters, ending in an ellipsis when it was cut.
fn shortened(name: &str) -> String {
    if name.chars().count() <= MAX_LAYER_NAME_CHARS {
        return name.to_owned();
    }
    let mut short: String = name.chars().take(MAX_LAYER_NAME_CHARS - 1).collect();
    short.push('…');
    short
}

/// What a per-layer chart shows besides its layers.
pub(crate) struct LayerChartSpec<'a> {
    pub caption: String,
    pub y_range: Range<f64>,
    pub y_desc: &'a str,
    /// Width of the area left of the plot for the y labels and description, in pixels.
    pub y_label_area_size: u32,
    /// How y values are written; plotters' default when absent.
    pub y_label_formatter: Option<&'a dyn Fn(&f64) -> String>,
}

/// Builds a chart with one category per layer of `axis` on the x axis, draws its mesh (no vertical
/// grid lines) and writes the layer names downwards under the axis, each starting below its tick.
pub(crate) fn layer_chart<'area, 'svg>(
    root: &'area SvgArea<'svg>,
    axis: &LayerAxis,
    spec: LayerChartSpec<'_>,
    plot: &'static str,
) -> Result<LayerChart<'area, 'svg>, PlotError> {
    let fail = failed(plot);
    let mut chart = ChartBuilder::on(root)
        .caption(spec.caption, ("sans-serif", 22))
        .margin(12)
        .x_label_area_size(axis.label_area_size())
        .y_label_area_size(spec.y_label_area_size)
        .build_cartesian_2d(
            -0.5f64..(axis.names.len().max(1) as f64 - 0.5),
            spec.y_range,
        )
        .map_err(&fail)?;
    // Plotters centres rotated tick labels on the tick, which puts half of each name inside the
    // plot; the mesh therefore draws the ticks only and the names are written below, anchored at
    // their start.
    let no_label = |_: &f64| String::new();
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .x_labels(axis.label_count.max(1))
        .x_label_formatter(&no_label)
        .y_desc(spec.y_desc)
        .x_desc(axis.description());
    if let Some(formatter) = spec.y_label_formatter {
        mesh.y_label_formatter(formatter);
    }
    mesh.draw().map_err(&fail)?;
    write_layer_names(root, &chart, axis).map_err(&fail)?;
    Ok(chart)
}

/// Writes the name of every layer the mesh put a tick at, rotated to read downwards, from just
/// under the axis.
fn write_layer_names(
    root: &SvgArea<'_>,
    chart: &LayerChart<'_, '_>,
    axis: &LayerAxis,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let style = ("sans-serif", LAYER_NAME_FONT_SIZE)
        .into_font()
        .transform(FontTransform::Rotate90)
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let (_, rows) = chart.plotting_area().get_pixel_range();
    let top = rows.end.saturating_add(LAYER_NAME_GAP as i32);
    let ticks = chart
        .as_coord_spec()
        .x_spec()
        .key_points(BoldPoints(axis.label_count.max(1)));
    for tick in ticks {
        let name = category_label(&axis.names, tick);
        if name.is_empty() {
            continue;
        }
        let (column, _) = chart.backend_coord(&(tick, 0.0));
        root.draw(&Text::new(name, (column, top), style.clone()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        let long = "a_very_long_layer_name_that_goes_on_and_on";
        let short = shortened(long);
        assert_eq!(short.chars().count(), MAX_LAYER_NAME_CHARS);
        assert!(short.ends_with('…'));
        assert!(long.starts_with(short.trim_end_matches('…')));
        assert_eq!(shortened("conv1"), "conv1");
    }

    #[test]
    fn the_label_area_grows_with_the_longest_name() {
        let short = LayerAxis::new(["a", "b"]);
        let long = LayerAxis::new(["a", "conv2_1_projection"]);
        assert!(long.label_area_size() > short.label_area_size());
        assert!(long.label_area_size() >= 18 * LAYER_NAME_CHAR_WIDTH + LAYER_NAME_GAP);
    }

    #[test]
    fn category_labels_only_at_integer_positions() {
        let labels = ["x", "y"];
        assert_eq!(category_label(&labels, 1.0), "y");
        assert_eq!(category_label(&labels, 0.5), "");
        assert_eq!(category_label(&labels, -1.0), "");
        assert_eq!(category_label(&labels, 2.0), "");
    }

    /// The attributes of the `<text>` element whose content is `content`.
    fn text_attributes<'s>(svg: &'s str, content: &str) -> Option<&'s str> {
        let end = svg.find(&format!(">\n{content}\n</text>"))?;
        let start = svg[..end].rfind("<text ")?;
        Some(&svg[start..end])
    }

    #[test]
    fn layer_names_start_below_the_plot_area() {
        let axis = LayerAxis::new(["first_layer", "second_layer_with_a_long_name"]);
        let mut svg = String::new();
        let bottom = {
            let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
            let spec = LayerChartSpec {
                caption: "test".to_owned(),
                y_range: 0.0..1.0,
                y_desc: "value",
                y_label_area_size: 40,
                y_label_formatter: None,
            };
            let chart = layer_chart(&root, &axis, spec, "test").expect("an SVG chart draws");
            let bottom = chart.plotting_area().get_pixel_range().1.end;
            root.present().expect("an SVG chart presents");
            bottom
        };
        for name in ["first_layer", "second_layer_with_a_lon…"] {
            let element =
                text_attributes(&svg, name).unwrap_or_else(|| panic!("{name} is not written"));
            let y: i32 = element
                .split(" y=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .and_then(|y| y.parse().ok())
                .unwrap_or_else(|| panic!("{name} has no y: {element}"));
            assert!(
                y > bottom,
                "{name} starts at {y}, inside the plot (bottom {bottom})"
            );
            // Anchored at its start, the rotated name reads downwards from y; centred, half of it
            // would lie above y, inside the plot.
            assert!(element.contains("text-anchor=\"start\""), "{element}");
            assert!(element.contains("rotate(90"), "{element}");
        }
    }
}
