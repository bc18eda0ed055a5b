//! The look every chart shares: the bundled font, the palette, the sizes, and
//! the helpers that draw a chart's frame (title, subtitle, legend, source line),
//! its axes and its reference lines. New charts (policy comparisons, tornado
//! charts) compose these instead of styling plotters themselves.

use std::ops::Range;
use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::data::Axis;
use crate::model::Series;
use crate::scenario::Group;
use crate::text::Lang;

/// The font family charts ask for. Bitmaps are drawn with the bundled Noto Sans
/// registered under this name; SVG viewers read it as a CSS font list, so they
/// use Noto Sans where installed and a metric-compatible sans-serif otherwise.
pub const FAMILY: &str = "Noto Sans, Arial, Helvetica, sans-serif";

/// Noto Sans Regular (SIL Open Font License 1.1, `assets/fonts/LICENSE_OFL.txt`).
pub static REGULAR: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
/// Noto Sans Bold (same licence).
pub static BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

static FONTS: Once = Once::new();

/// Registers the bundled fonts with plotters, once per process. Every drawing
/// function calls it first: plotters cannot measure or draw text without it.
pub fn register_fonts() {
    FONTS.call_once(|| {
        for (style, bytes) in [(FontStyle::Normal, REGULAR), (FontStyle::Bold, BOLD)] {
            if plotters::style::register_font(FAMILY, style, bytes).is_err() {
                panic!("the bundled Noto Sans font is a valid TrueType file");
            }
        }
    });
}

/// The palette: Paul Tol's "muted" scheme, designed to stay distinct for
/// colour-blind readers, plus neutral greys. Every series keeps its colour on
/// every chart.
pub mod palette {
    use plotters::style::RGBColor;

    /// Total headcount (fan, hitting time, outcome).
    pub const HEADCOUNT: RGBColor = RGBColor(0x33, 0x22, 0x88);
    /// Firms operating at the start.
    pub const EXISTING: RGBColor = RGBColor(0x88, 0xCC, 0xEE);
    /// Announced projects.
    pub const ANNOUNCED: RGBColor = RGBColor(0x44, 0xAA, 0x99);
    /// Unannounced arrivals.
    pub const NEW: RGBColor = RGBColor(0xAA, 0x44, 0x99);
    /// Qualified pool.
    pub const POOL: RGBColor = RGBColor(0x11, 0x77, 0x33);
    /// Vacancies.
    pub const VACANCIES: RGBColor = RGBColor(0xCC, 0x66, 0x77);
    /// Hires.
    pub const HIRES: RGBColor = RGBColor(0x99, 0x99, 0x33);
    /// Leavers.
    pub const LEAVERS: RGBColor = RGBColor(0x88, 0x22, 0x55);
    /// Operating firms (the last colour of the scheme).
    pub const SAND: RGBColor = RGBColor(0xDD, 0xCC, 0x77);
    /// Seats.
    pub const SEATS: RGBColor = RGBColor(0x44, 0x44, 0x44);
    /// The target and observed values: reference marks, in black.
    pub const REFERENCE: RGBColor = RGBColor(0x11, 0x11, 0x11);
    /// Individual sample paths.
    pub const SAMPLE: RGBColor = RGBColor(0x9A, 0x9A, 0x9A);
    /// Main text.
    pub const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
    /// Subtitles and tick labels.
    pub const MUTED_TEXT: RGBColor = RGBColor(0x55, 0x55, 0x55);
    /// Source line.
    pub const FAINT_TEXT: RGBColor = RGBColor(0x80, 0x80, 0x80);
    /// Axis lines and tick marks.
    pub const AXIS: RGBColor = RGBColor(0x70, 0x70, 0x70);
    /// Grid lines.
    pub const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
    /// The base case of a comparison: a neutral grey, whatever the options.
    pub const BASE: RGBColor = RGBColor(0x6B, 0x6B, 0x6B);
    /// The other options of a comparison, in input order: the darker colours
    /// of the scheme first, as they carry thin lines and small markers best.
    pub const OPTIONS: [RGBColor; 8] = [
        RGBColor(0x33, 0x22, 0x88),
        RGBColor(0xCC, 0x66, 0x77),
        RGBColor(0x11, 0x77, 0x33),
        RGBColor(0x88, 0x22, 0x55),
        RGBColor(0x44, 0xAA, 0x99),
        RGBColor(0xAA, 0x44, 0x99),
        RGBColor(0x99, 0x99, 0x33),
        RGBColor(0x88, 0xCC, 0xEE),
    ];
    /// Tornado: the run with an input at its 10th percentile (light).
    pub const LOW: RGBColor = RGBColor(0x88, 0xCC, 0xEE);
    /// Tornado: the run with an input at its 90th percentile (dark).
    pub const HIGH: RGBColor = RGBColor(0x33, 0x22, 0x88);
    /// Lines of constant cost per job: light, behind the points.
    pub const RAY: RGBColor = RGBColor(0xB4, 0xB4, 0xB4);
    /// A highlighted point (the chosen PRIM box).
    pub const HIGHLIGHT: RGBColor = RGBColor(0xCC, 0x66, 0x77);
}

/// The colour of a series.
pub fn series_colour(series: Series) -> RGBColor {
    match series {
        Series::Headcount => palette::HEADCOUNT,
        Series::HeadcountExisting => palette::EXISTING,
        Series::HeadcountAnnounced => palette::ANNOUNCED,
        Series::HeadcountNew => palette::NEW,
        Series::Seats => palette::SEATS,
        Series::Vacancies => palette::VACANCIES,
        Series::Pool => palette::POOL,
        Series::Hires => palette::HIRES,
        Series::Leavers => palette::LEAVERS,
        Series::Firms => palette::SAND,
    }
}

/// The colour of a firm group.
pub fn group_colour(group: Group) -> RGBColor {
    series_colour(Series::of_group(group))
}

/// [`option_colour`] as a CSS colour ("#332288"), for reports.
pub fn option_colour_hex(slot: usize) -> String {
    let RGBColor(r, g, b) = option_colour(slot);
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// The colour of a comparison option by its place in the input order: the
/// base case (slot 0) is always grey, the others take the scheme in turn.
pub fn option_colour(slot: usize) -> RGBColor {
    match slot {
        0 => palette::BASE,
        n => palette::OPTIONS[(n - 1) % palette::OPTIONS.len()],
    }
}

/// Sizes in pixels of a 1600x900 chart; [`Theme`] scales them. Font sizes are
/// plotters sizes: text is set at size / 1.24 pixels per em, as plotters' SVG
/// backend writes it (see `typeset`).
mod size {
    pub const MARGIN_X: f64 = 44.0;
    pub const MARGIN_TOP: f64 = 30.0;
    pub const MARGIN_BOTTOM: f64 = 20.0;
    pub const TITLE: f64 = 46.0;
    pub const SUBTITLE: f64 = 31.0;
    pub const LEGEND: f64 = 29.0;
    pub const TICK: f64 = 29.0;
    pub const AXIS_TITLE: f64 = 29.0;
    pub const ANNOTATION: f64 = 29.0;
    pub const PANEL_TITLE: f64 = 30.0;
    pub const SOURCE: f64 = 22.0;
    pub const LINE: f64 = 4.0;
    pub const THIN_LINE: f64 = 1.6;
    pub const MARKER: f64 = 8.0;
    pub const CAP: f64 = 9.0;
    pub const SMALL_DOT: f64 = 4.5;
}

/// Sizes, fonts and language of one rendering. Every size scales with the
/// smaller of the width and height ratios to a 1600x900 slide, so a chart keeps
/// its proportions at any size.
#[derive(Clone, Debug)]
pub struct Theme {
    /// Language of every label.
    pub lang: Lang,
    /// The source line under the chart.
    pub source: String,
    scale: f64,
}

impl Theme {
    /// A theme for a `width` x `height` chart.
    pub fn new(width: u32, height: u32, lang: Lang, source: String) -> Theme {
        Theme {
            lang,
            source,
            scale: (f64::from(width) / 1600.0).min(f64::from(height) / 900.0),
        }
    }

    /// A length scaled to the chart, in whole pixels (at least 1).
    pub fn px(&self, length: f64) -> i32 {
        ((length * self.scale).round() as i32).max(1)
    }

    /// Regular text of `size` (at 1600x900) in `colour`.
    pub fn font(&self, size: f64, colour: RGBColor) -> TextStyle<'static> {
        (FAMILY, size * self.scale).into_font().color(&colour)
    }

    /// Bold text of `size` (at 1600x900) in `colour`.
    pub fn bold(&self, size: f64, colour: RGBColor) -> TextStyle<'static> {
        (FAMILY, size * self.scale, FontStyle::Bold)
            .into_font()
            .color(&colour)
    }

    /// A solid line of `width` (at 1600x900) in `colour`.
    pub fn line(&self, colour: impl Color, width: f64) -> ShapeStyle {
        colour.stroke_width(self.px(width) as u32)
    }

    /// The main line width.
    pub fn main_line(&self) -> f64 {
        size::LINE
    }

    /// The width of secondary lines (single sample paths).
    pub fn thin_line(&self) -> f64 {
        size::THIN_LINE
    }

    /// Style of tick labels.
    pub fn tick_font(&self) -> TextStyle<'static> {
        self.font(size::TICK, palette::MUTED_TEXT)
    }

    /// Style of annotations inside the plot.
    pub fn annotation_font(&self) -> TextStyle<'static> {
        self.bold(size::ANNOTATION, palette::TEXT)
    }
}

/// Drawing result of a backend.
pub type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// The swatch of a legend entry.
#[derive(Clone, Copy, Debug)]
pub enum Mark {
    /// A thick solid line.
    Line(RGBColor),
    /// A thick dashed line.
    Dashed(RGBColor),
    /// A thin line.
    Thin(RGBColor),
    /// A filled block, with the given opacity.
    Fill(RGBColor, f64),
    /// Adjacent blocks of one colour at several opacities (nested bands).
    Shades(RGBColor, [f64; 3]),
    /// A dot: an observed value.
    Dot(RGBColor),
    /// A dashed line through a diamond: the target.
    Target,
    /// A diamond: a highlighted point.
    Diamond(RGBColor),
    /// A dot on a horizontal whisker: an estimate with its interval.
    Interval(RGBColor),
    /// A light block with thin edges: a band between two lines.
    Band(RGBColor),
    /// A hollow ring: an uncertain estimate.
    Ring(RGBColor),
}

/// One entry of a legend.
#[derive(Clone, Debug)]
pub struct LegendItem {
    /// What the entry is called.
    pub label: String,
    /// Its swatch.
    pub mark: Mark,
}

impl LegendItem {
    /// An entry.
    pub fn new(label: impl Into<String>, mark: Mark) -> LegendItem {
        LegendItem {
            label: label.into(),
            mark,
        }
    }
}

/// The text around a chart.
pub struct Frame<'a> {
    /// Bold title at the top.
    pub title: &'a str,
    /// One line (wrapped if needed) under the title.
    pub subtitle: &'a str,
    /// Legend entries, laid out in rows above the plot, never over the data.
    pub legend: &'a [LegendItem],
}

/// Splits `text` into lines no wider than `width` pixels.
pub fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    width: i32,
) -> Vec<String> {
    let fits = |s: &str| {
        area.estimate_text_size(s, style)
            .map_or(true, |(w, _)| w as i32 <= width)
    };
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate) || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Line height of text of `size`.
fn line_height(theme: &Theme, size: f64) -> i32 {
    theme.px(size * 1.12)
}

/// Draws the white background, title, subtitle, legend and source line, and
/// returns the area left for the plot.
pub fn draw_frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    frame: &Frame,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (width, height) = root.dim_in_pixel();
    let left = theme.px(size::MARGIN_X);
    let inner = width as i32 - 2 * left;
    let mut y = theme.px(size::MARGIN_TOP);

    let title = theme.bold(size::TITLE, palette::TEXT);
    for line in wrap(root, frame.title, &title, inner) {
        root.draw_text(&line, &title, (left, y))?;
        y += line_height(theme, size::TITLE);
    }
    y += theme.px(4.0);
    let subtitle = theme.font(size::SUBTITLE, palette::MUTED_TEXT);
    for line in wrap(root, frame.subtitle, &subtitle, inner) {
        root.draw_text(&line, &subtitle, (left, y))?;
        y += line_height(theme, size::SUBTITLE);
    }
    if !frame.legend.is_empty() {
        y += theme.px(14.0);
        y = draw_legend(root, theme, frame.legend, (left, y), inner)?;
    }

    let source = theme.font(size::SOURCE, palette::FAINT_TEXT);
    let bottom = height as i32 - theme.px(size::MARGIN_BOTTOM);
    root.draw_text(
        &theme.source,
        &source.pos(Pos::new(HPos::Left, VPos::Bottom)),
        (left, bottom),
    )?;
    let source_height = line_height(theme, size::SOURCE) + theme.px(12.0);
    Ok(root.margin(
        y + theme.px(10.0),
        height as i32 - bottom + source_height,
        left,
        left,
    ))
}

/// Draws legend entries in rows from `origin`, wrapping at `width`, and returns
/// the y just below the last row.
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    items: &[LegendItem],
    (left, top): (i32, i32),
    width: i32,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let style = theme.font(size::LEGEND, palette::TEXT);
    let swatch = theme.px(40.0);
    let gap = theme.px(10.0);
    let spacing = theme.px(32.0);
    let row = line_height(theme, size::LEGEND) + theme.px(8.0);
    let (mut x, mut y) = (left, top);
    for item in items {
        let text_width = area
            .estimate_text_size(&item.label, &style)
            .map_or(0, |(w, _)| w as i32);
        let entry = swatch + gap + text_width;
        if x > left && x + entry > left + width {
            x = left;
            y += row;
        }
        let mid = y + row / 2 - theme.px(4.0);
        draw_swatch(area, theme, item.mark, (x, mid), swatch)?;
        area.draw_text(
            &item.label,
            &style.pos(Pos::new(HPos::Left, VPos::Center)),
            (x + swatch + gap, mid),
        )?;
        x += entry + spacing;
    }
    Ok(y + row)
}

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    mark: Mark,
    (x, mid): (i32, i32),
    width: i32,
) -> Drawn<DB> {
    let half = theme.px(11.0);
    let block = |x0: i32, x1: i32, c: RGBColor, opacity: f64| {
        area.draw(&Rectangle::new(
            [(x0, mid - half), (x1, mid + half)],
            c.mix(opacity).filled(),
        ))
    };
    let dashes = |c: RGBColor| -> Drawn<DB> {
        let dash = width / 4;
        for i in [0, 2] {
            let x0 = x + i * dash + dash / 4;
            area.draw(&PathElement::new(
                vec![(x0, mid), (x0 + dash + dash / 2, mid)],
                theme.line(c, size::LINE * 0.8),
            ))?;
        }
        Ok(())
    };
    match mark {
        Mark::Line(c) => area.draw(&PathElement::new(
            vec![(x, mid), (x + width, mid)],
            theme.line(c, size::LINE),
        )),
        Mark::Thin(c) => area.draw(&PathElement::new(
            vec![(x, mid), (x + width, mid)],
            theme.line(c, size::THIN_LINE * 1.5),
        )),
        Mark::Dashed(c) => dashes(c),
        Mark::Fill(c, opacity) => block(x, x + width, c, opacity),
        Mark::Shades(c, opacities) => {
            let step = width / 3;
            for (i, opacity) in opacities.into_iter().enumerate() {
                let x0 = x + i as i32 * step;
                block(x0, x0 + step, c, opacity)?;
            }
            Ok(())
        }
        Mark::Dot(c) => draw_marker(area, theme, (x + width / 2, mid), Marker::Dot, c),
        Mark::Target => {
            dashes(palette::REFERENCE)?;
            draw_marker(
                area,
                theme,
                (x + width / 2, mid),
                Marker::Diamond,
                palette::REFERENCE,
            )
        }
        Mark::Diamond(c) => draw_marker(area, theme, (x + width / 2, mid), Marker::Diamond, c),
        Mark::Ring(c) => draw_marker(area, theme, (x + width / 2, mid), Marker::Ring, c),
        Mark::Band(c) => {
            block(x, x + width, c, 0.18)?;
            for y in [mid - half, mid + half] {
                area.draw(&PathElement::new(
                    vec![(x, y), (x + width, y)],
                    theme.line(c.mix(0.55), 1.3),
                ))?;
            }
            Ok(())
        }
        Mark::Interval(c) => {
            let style = theme.line(c, size::LINE * 0.7);
            let cap = theme.px(size::CAP);
            area.draw(&PathElement::new(vec![(x, mid), (x + width, mid)], style))?;
            for end in [x, x + width] {
                area.draw(&PathElement::new(
                    vec![(end, mid - cap), (end, mid + cap)],
                    style,
                ))?;
            }
            draw_marker(area, theme, (x + width / 2, mid), Marker::Dot, c)
        }
    }
}

/// The shape of a point marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// A round dot: observed values.
    Dot,
    /// A diamond: the target.
    Diamond,
    /// A hollow ring: an uncertain estimate.
    Ring,
}

/// A filled marker with a white ring, readable over bands and lines.
pub fn draw_marker<DB: DrawingBackend, X>(
    area: &DrawingArea<DB, X>,
    theme: &Theme,
    at: X::From,
    marker: Marker,
    colour: RGBColor,
) -> Drawn<DB>
where
    X: CoordTranslate,
    X::From: Clone,
{
    let r = theme.px(size::MARKER);
    let ring = theme.px(2.5);
    match marker {
        Marker::Dot => {
            area.draw(&Circle::new(at.clone(), r + ring, WHITE.filled()))?;
            area.draw(&Circle::new(at, r, colour.filled()))
        }
        Marker::Ring => {
            area.draw(&Circle::new(at.clone(), r + ring, WHITE.filled()))?;
            area.draw(&Circle::new(
                at,
                r - ring / 2,
                colour.stroke_width(ring.max(1) as u32 + 1),
            ))
        }
        Marker::Diamond => {
            let diamond = |d: i32| vec![(0, -d), (d, 0), (0, d), (-d, 0)];
            let d = r * 3 / 2;
            area.draw(
                &(EmptyElement::at(at.clone())
                    + Polygon::new(diamond(d + ring * 3 / 2), WHITE.filled())),
            )?;
            area.draw(&(EmptyElement::at(at) + Polygon::new(diamond(d), colour.filled())))
        }
    }
}

/// A linear coordinate whose grid lines and labels sit exactly at the ticks of
/// an [`Axis`] (plotters' own choice of ticks knows nothing of calendar months).
#[derive(Clone, Debug)]
pub struct AxisCoord {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl From<&Axis> for AxisCoord {
    fn from(axis: &Axis) -> AxisCoord {
        AxisCoord {
            lo: axis.lo,
            hi: axis.hi,
            ticks: axis.values(),
        }
    }
}

impl Ranged for AxisCoord {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, (start, end): (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span <= 0.0 {
            return (start + end) / 2;
        }
        let share = (value - self.lo) / span;
        start + (f64::from(end - start) * share).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Only bold grid lines, at the ticks; no light lines in between.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

/// The coordinates of every chart: data units on both axes, with the ticks of
/// an [`Axis`].
pub type Coord = Cartesian2d<AxisCoord, AxisCoord>;

/// A chart context on [`Coord`].
pub type Plot<'a, DB> = ChartContext<'a, DB, Coord>;

/// What to draw of a pair of axes.
pub struct AxesSpec<'a> {
    /// The horizontal axis.
    pub x: &'a Axis,
    /// The vertical axis.
    pub y: &'a Axis,
    /// What the vertical axis measures, written above it (horizontal, easy to
    /// read); bold when it heads a panel of a multi-panel chart.
    pub y_title: &'a str,
    /// Whether the title heads a panel.
    pub panel: bool,
    /// Title under the horizontal axis, if the tick labels need one.
    pub x_title: Option<&'a str>,
    /// Whether to label the horizontal axis (false for an upper panel).
    pub x_labels: bool,
    /// Width of the tick labels' column; panels stacked on one time axis share
    /// the widest (see [`y_label_width`]) so their plots line up.
    pub y_label_width: Option<i32>,
}

/// The width the tick labels of `axis` need.
pub fn y_label_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    axis: &Axis,
) -> i32 {
    let tick = theme.tick_font();
    axis.ticks
        .iter()
        .map(|t| {
            area.estimate_text_size(&t.label, &tick)
                .map_or(0, |(w, _)| w as i32)
        })
        .max()
        .unwrap_or(0)
}

/// Draws a pair of axes with light horizontal grid lines in `area` and returns
/// the chart to draw series on.
pub fn draw_axes<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    spec: &AxesSpec,
) -> Result<Plot<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let tick = theme.tick_font();
    let label_width = spec
        .y_label_width
        .unwrap_or_else(|| y_label_width(area, theme, spec.y));
    let tick_height = line_height(theme, size::TICK);
    let x_title = theme.font(size::AXIS_TITLE, palette::MUTED_TEXT);
    let (y_title, y_title_size) = if spec.panel {
        (
            theme.bold(size::PANEL_TITLE, palette::TEXT),
            size::PANEL_TITLE,
        )
    } else {
        (
            theme.font(size::AXIS_TITLE, palette::MUTED_TEXT),
            size::AXIS_TITLE,
        )
    };
    // The title over the y axis needs a band above the plot, clear of the top
    // tick label (centred on the top grid line).
    let title_gap = tick_height / 2 + theme.px(10.0);
    let top = line_height(theme, y_title_size) + title_gap;
    let last_x_label = spec.x.ticks.last().map_or(0, |t| {
        area.estimate_text_size(&t.label, &tick)
            .map_or(0, |(w, _)| w as i32 / 2)
    });
    let right = (last_x_label + theme.px(4.0)).max(theme.px(24.0));
    let mut bottom = if spec.x_labels {
        tick_height + theme.px(14.0)
    } else {
        theme.px(4.0)
    };
    if spec.x_title.is_some() {
        bottom += line_height(theme, size::AXIS_TITLE) + theme.px(6.0);
    }
    let mut chart = ChartBuilder::on(area)
        .margin_top(top)
        .margin_right(right)
        .x_label_area_size(bottom)
        .y_label_area_size(label_width + theme.px(18.0))
        .build_cartesian_2d(AxisCoord::from(spec.x), AxisCoord::from(spec.y))?;
    let x_label = |v: &f64| spec.x.label(*v);
    let no_label = |_: &f64| String::new();
    let y_label = |v: &f64| spec.y.label(*v);
    let mut mesh = chart.configure_mesh();
    mesh.disable_x_mesh()
        .bold_line_style(theme.line(palette::GRID, 1.5))
        .axis_style(theme.line(palette::AXIS, 1.5))
        .set_all_tick_mark_size(theme.px(7.0))
        .label_style(tick.clone())
        .axis_desc_style(x_title)
        .x_label_formatter(if spec.x_labels { &x_label } else { &no_label })
        .y_label_formatter(&y_label);
    if let Some(title) = spec.x_title {
        mesh.x_desc(title);
    }
    mesh.draw()?;

    // The y title, left-aligned with the tick labels.
    let plot_top = chart.plotting_area().get_pixel_range().1.start - area.get_base_pixel().1;
    area.draw_text(
        spec.y_title,
        &y_title.pos(Pos::new(HPos::Left, VPos::Bottom)),
        (0, plot_top - title_gap),
    )?;
    Ok(chart)
}

/// A band between two lines, filled with `colour` at `opacity`.
pub fn band<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    xs: &[f64],
    lo: &[f64],
    hi: &[f64],
    colour: RGBColor,
    opacity: f64,
) -> Drawn<DB> {
    let mut outline: Vec<(f64, f64)> = xs.iter().copied().zip(hi.iter().copied()).collect();
    outline.extend(xs.iter().copied().zip(lo.iter().copied()).rev());
    chart.draw_series(std::iter::once(Polygon::new(
        outline,
        colour.mix(opacity).filled(),
    )))?;
    Ok(())
}

/// A line through `(xs, ys)`.
pub fn line<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    xs: &[f64],
    ys: &[f64],
    style: ShapeStyle,
) -> Drawn<DB> {
    chart.draw_series(LineSeries::new(
        xs.iter().copied().zip(ys.iter().copied()),
        style,
    ))?;
    Ok(())
}

/// A dashed line through `points`.
pub fn dashed<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    theme: &Theme,
    points: Vec<(f64, f64)>,
    colour: RGBColor,
) -> Drawn<DB> {
    chart.draw_series(DashedLineSeries::new(
        points,
        theme.px(16.0),
        theme.px(10.0),
        theme.line(colour, size::LINE * 0.8),
    ))?;
    Ok(())
}

/// Where a label goes relative to its anchor point.
#[derive(Clone, Copy, Debug)]
pub enum Side {
    /// Above and to the right.
    AboveRight,
    /// Above and to the left.
    AboveLeft,
    /// Below and to the right.
    BelowRight,
    /// Below and to the left.
    BelowLeft,
    /// To the right, centred on the point.
    Right,
    /// To the left, centred on the point.
    Left,
}

/// Writes `text` next to the data point `at`, offset by a few pixels to `side`.
pub fn annotate<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    text: &str,
    at: (f64, f64),
    side: Side,
) -> Drawn<DB> {
    annotate_with(chart, theme, text, at, side, &theme.annotation_font())
}

/// Like [`annotate`], in `style` (whose anchor is replaced).
pub fn annotate_with<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    text: &str,
    at: (f64, f64),
    side: Side,
    style: &TextStyle,
) -> Drawn<DB> {
    let gap = theme.px(12.0);
    let (dx, h) = match side {
        Side::AboveRight | Side::BelowRight | Side::Right => (gap, HPos::Left),
        Side::AboveLeft | Side::BelowLeft | Side::Left => (-gap, HPos::Right),
    };
    let (dy, v) = match side {
        Side::AboveRight | Side::AboveLeft => (-gap, VPos::Bottom),
        Side::BelowRight | Side::BelowLeft => (gap, VPos::Top),
        Side::Right | Side::Left => (0, VPos::Center),
    };
    let style = style.pos(Pos::new(h, v));
    chart
        .plotting_area()
        .draw(&(EmptyElement::at(at) + Text::new(text.to_string(), (dx, dy), style)))
}

/// A rectangle in pixels, `y` growing downwards.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PixelRect {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

/// Something drawn that a label must not cover: at each x (increasing), the
/// span `lo..=hi` it fills. A line has `lo == hi`; a single vertex is a point
/// (or, with `lo < hi`, a vertical segment).
#[derive(Clone, Debug, PartialEq)]
pub struct Obstacle {
    /// `(x, lo, hi)` vertices in data units.
    pub vertices: Vec<(f64, f64, f64)>,
}

impl Obstacle {
    /// A line through `(xs, ys)`.
    pub fn line(xs: &[f64], ys: &[f64]) -> Obstacle {
        Obstacle::band(xs, ys, ys)
    }

    /// The region between two lines.
    pub fn band(xs: &[f64], lo: &[f64], hi: &[f64]) -> Obstacle {
        Obstacle {
            vertices: xs
                .iter()
                .zip(lo.iter().zip(hi))
                .map(|(&x, (&l, &h))| (x, l.min(h), l.max(h)))
                .collect(),
        }
    }

    /// A single point.
    pub fn point((x, y): (f64, f64)) -> Obstacle {
        Obstacle {
            vertices: vec![(x, y, y)],
        }
    }

    /// A vertical segment.
    pub fn vertical(x: f64, lo: f64, hi: f64) -> Obstacle {
        Obstacle {
            vertices: vec![(x, lo, hi)],
        }
    }
}

/// Whether a shape given in pixels as `(x, y_a, y_b)` vertices (see
/// [`Obstacle`]) enters `rect`. Between vertices the shape is linear, so each
/// segment is tested at the ends of its part within the rectangle's width.
pub fn crosses(vertices: &[(f64, f64, f64)], rect: PixelRect) -> bool {
    let spans = |lo: f64, hi: f64| hi >= rect.y0 && lo <= rect.y1;
    if let [(x, a, b)] = vertices {
        return (rect.x0..=rect.x1).contains(x) && spans(a.min(*b), a.max(*b));
    }
    vertices.windows(2).any(|w| {
        let (a, b) = (w[0], w[1]);
        let (left, right) = (a.0.min(b.0), a.0.max(b.0));
        if right < rect.x0 || left > rect.x1 {
            return false;
        }
        let at = |x: f64| {
            let t = if (b.0 - a.0).abs() < 1e-9 {
                0.0
            } else {
                ((x - a.0) / (b.0 - a.0)).clamp(0.0, 1.0)
            };
            (a.1 + t * (b.1 - a.1), a.2 + t * (b.2 - a.2))
        };
        let ends = if (b.0 - a.0).abs() < 1e-9 {
            [(a.1, a.2), (b.1, b.2)]
        } else {
            [at(left.max(rect.x0)), at(right.min(rect.x1))]
        };
        let values = ends.iter().flat_map(|&(p, q)| [p, q]);
        let lo = values.clone().fold(f64::INFINITY, f64::min);
        let hi = values.fold(f64::NEG_INFINITY, f64::max);
        spans(lo, hi)
    })
}

/// The pixel box of a label of `size` put to `side` of the pixel point `at`,
/// as [`annotate`] draws it.
fn label_box(theme: &Theme, (x, y): (i32, i32), (w, h): (i32, i32), side: Side) -> PixelRect {
    let gap = f64::from(theme.px(12.0));
    let (x, y, w, h) = (f64::from(x), f64::from(y), f64::from(w), f64::from(h));
    let (x0, x1) = match side {
        Side::AboveRight | Side::BelowRight | Side::Right => (x + gap, x + gap + w),
        Side::AboveLeft | Side::BelowLeft | Side::Left => (x - gap - w, x - gap),
    };
    let (y0, y1) = match side {
        Side::AboveRight | Side::AboveLeft => (y - gap - h, y - gap),
        Side::BelowRight | Side::BelowLeft => (y + gap, y + gap + h),
        Side::Right | Side::Left => (y - h / 2.0, y + h / 2.0),
    };
    PixelRect { x0, y0, x1, y1 }
}

/// Writes `text` at the first of `candidates` (anchor point and side) where it
/// stays inside the plot and covers none of `obstacles`; failing that, at the
/// first that stays inside the plot, or the first.
pub fn place_label<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    text: &str,
    candidates: &[((f64, f64), Side)],
    obstacles: &[Obstacle],
) -> Drawn<DB> {
    place_label_with(
        chart,
        theme,
        text,
        candidates,
        obstacles,
        &theme.annotation_font(),
    )
}

/// Like [`place_label`], in `style`.
pub fn place_label_with<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    text: &str,
    candidates: &[((f64, f64), Side)],
    obstacles: &[Obstacle],
    style: &TextStyle,
) -> Drawn<DB> {
    let size = chart
        .plotting_area()
        .estimate_text_size(text, style)
        .map_or((0, 0), |(w, h)| (w as i32, h as i32));
    let plot = plot_rect(chart);
    let inside = |r: &PixelRect| contains(plot, *r);
    let pixels = obstacle_pixels(chart, obstacles);
    let boxes: Vec<PixelRect> = candidates
        .iter()
        .map(|&(at, side)| label_box(theme, chart.backend_coord(&at), size, side))
        .collect();
    let free = |r: &PixelRect| inside(r) && !pixels.iter().any(|p| crosses(p, *r));
    let chosen = boxes
        .iter()
        .position(free)
        .or_else(|| boxes.iter().position(inside))
        .unwrap_or(0);
    match candidates.get(chosen) {
        Some(&(at, side)) => annotate_with(chart, theme, text, at, side, style),
        None => Ok(()),
    }
}

/// The plot's rectangle in backend pixels.
fn plot_rect<DB: DrawingBackend>(chart: &Plot<DB>) -> PixelRect {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    PixelRect {
        x0: f64::from(xs.start),
        y0: f64::from(ys.start),
        x1: f64::from(xs.end),
        y1: f64::from(ys.end),
    }
}

/// Whether `inner` lies within `outer`.
fn contains(outer: PixelRect, inner: PixelRect) -> bool {
    inner.x0 >= outer.x0 && inner.x1 <= outer.x1 && inner.y0 >= outer.y0 && inner.y1 <= outer.y1
}

/// Obstacles in backend pixels, as [`crosses`] takes them.
fn obstacle_pixels<DB: DrawingBackend>(
    chart: &Plot<DB>,
    obstacles: &[Obstacle],
) -> Vec<Vec<(f64, f64, f64)>> {
    obstacles
        .iter()
        .map(|o| {
            o.vertices
                .iter()
                .map(|&(x, lo, hi)| {
                    let (px, a) = chart.backend_coord(&(x, lo));
                    let (_, b) = chart.backend_coord(&(x, hi));
                    (f64::from(px), f64::from(a), f64::from(b))
                })
                .collect()
        })
        .collect()
}

/// The target: a dashed horizontal line across the plot, a diamond at the
/// target month, and its label by the line at the left (where paths start low)
/// or else at the right, wherever it covers none of `obstacles`.
pub fn draw_target<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    theme: &Theme,
    x: &Axis,
    (month, jobs): (f64, f64),
    label: &str,
    obstacles: &[Obstacle],
) -> Drawn<DB> {
    dashed(
        chart,
        theme,
        vec![(x.lo, jobs), (x.hi, jobs)],
        palette::REFERENCE,
    )?;
    draw_marker(
        chart.plotting_area(),
        theme,
        (month, jobs),
        Marker::Diamond,
        palette::REFERENCE,
    )?;
    let (left, right) = ((x.lo, jobs), (x.hi, jobs));
    place_label(
        chart,
        theme,
        label,
        &[
            (left, Side::AboveRight),
            (left, Side::BelowRight),
            (right, Side::AboveLeft),
            (right, Side::BelowLeft),
        ],
        obstacles,
    )
}

/// A horizontal interval at height `y` from `lo` to `hi`, with end caps: the
/// whisker of an estimate.
pub fn whisker<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    theme: &Theme,
    (lo, hi): (f64, f64),
    y: f64,
    colour: RGBColor,
) -> Drawn<DB> {
    let style = theme.line(colour, size::LINE * 0.7);
    let cap = theme.px(size::CAP);
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(lo, y), (hi, y)],
        style,
    )))?;
    for end in [lo, hi] {
        chart.plotting_area().draw(
            &(EmptyElement::at((end, y)) + PathElement::new(vec![(0, -cap), (0, cap)], style)),
        )?;
    }
    Ok(())
}

/// A small filled dot: one step of a trajectory.
pub fn small_dot<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    at: (f64, f64),
    colour: RGBColor,
) -> Drawn<DB> {
    chart
        .plotting_area()
        .draw(&Circle::new(at, theme.px(size::SMALL_DOT), colour.filled()))
}

/// Light vertical grid lines at the ticks of `x`, from `y.lo` to `y.hi`
/// (the axes draw horizontal ones only).
pub fn vertical_grid<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    theme: &Theme,
    x: &Axis,
    y: &Axis,
) -> Drawn<DB> {
    for t in &x.ticks {
        line(
            chart,
            &[t.value, t.value],
            &[y.lo, y.hi],
            theme.line(palette::GRID, 1.5),
        )?;
    }
    Ok(())
}

/// A thin solid vertical line at `x`, across the plot: a reference value.
pub fn reference_line<DB: DrawingBackend>(
    chart: &mut Plot<DB>,
    theme: &Theme,
    x: f64,
    y: &Axis,
) -> Drawn<DB> {
    line(
        chart,
        &[x, x],
        &[y.lo, y.hi],
        theme.line(palette::REFERENCE, 2.0),
    )
}

/// The height of the band above a plot that [`draw_axes`] keeps for the
/// title of the vertical axis, under the title's lines.
fn title_gap(theme: &Theme) -> i32 {
    line_height(theme, size::TICK) / 2 + theme.px(10.0)
}

/// A bold panel heading, wrapped to `width` pixels: its lines.
pub fn panel_title_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    text: &str,
    width: i32,
) -> Vec<String> {
    wrap(
        area,
        text,
        &theme.bold(size::PANEL_TITLE, palette::TEXT),
        width,
    )
}

/// The height of one line of a panel heading.
pub fn panel_title_height(theme: &Theme) -> i32 {
    line_height(theme, size::PANEL_TITLE)
}

/// Writes a panel heading of one or more lines over the plot of `chart`,
/// left-aligned with the plot, its last line where [`draw_axes`] writes the
/// title of the vertical axis. `area` is the area the axes were drawn in,
/// with room above for the extra lines.
pub fn draw_panel_title<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Plot<DB>,
    theme: &Theme,
    lines: &[String],
) -> Drawn<DB> {
    let style = theme
        .bold(size::PANEL_TITLE, palette::TEXT)
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let base = area.get_base_pixel();
    let left = xs.start - base.0;
    let mut bottom = ys.start - base.1 - title_gap(theme);
    for text in lines.iter().rev() {
        area.draw_text(text, &style, (left, bottom))?;
        bottom -= panel_title_height(theme);
    }
    Ok(())
}

/// Writes `text` centred over the plot at data position `x`, in the band
/// that [`draw_axes`] keeps above the plot.
pub fn draw_over_plot<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Plot<DB>,
    theme: &Theme,
    text: &str,
    x: f64,
) -> Drawn<DB> {
    let style = theme
        .annotation_font()
        .pos(Pos::new(HPos::Center, VPos::Bottom));
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let base = area.get_base_pixel();
    let (px, _) = chart.backend_coord(&(x, 0.0));
    let width = area
        .estimate_text_size(text, &style)
        .map_or(0, |(w, _)| w as i32);
    // Kept over the plot, whatever the position.
    let centre = px.clamp(
        xs.start + width / 2,
        (xs.end - width / 2).max(xs.start + width / 2),
    );
    area.draw_text(
        text,
        &style,
        (centre - base.0, ys.start - base.1 - title_gap(theme)),
    )
}

/// A label next to a data point: a first line (bold when `bold`) and any
/// number of regular lines under it.
#[derive(Clone, Debug)]
pub struct PointLabel {
    /// The point, in data units.
    pub at: (f64, f64),
    /// Other points the label may stand by instead, in order of preference
    /// (places along a line, say); none for a label that belongs to its point.
    pub alternatives: Vec<(f64, f64)>,
    /// The lines.
    pub lines: Vec<String>,
    /// Whether the first line is bold (a name) or all are regular (a note).
    pub bold: bool,
    /// The colour of the first line, to tie a name to its marker; the text
    /// colour when `None`.
    pub colour: Option<RGBColor>,
}

/// `colour` dark enough for text on white: light colours are darkened.
pub fn text_colour(colour: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = colour;
    let luminance = 0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b);
    if luminance > 130.0 {
        let k = 130.0 / luminance;
        let dim = |c: u8| (f64::from(c) * k).round() as u8;
        RGBColor(dim(r), dim(g), dim(b))
    } else {
        colour
    }
}

/// The twelve places tried around a point, in order: right, left, above,
/// below, the diagonals, then above and below with the label running off to
/// the right or to the left of the point.
const AROUND: usize = 12;

/// How many rings of places, ever farther from the point, a label of its own
/// point tries before giving up (beyond the first, a leader line joins label
/// and point).
const RINGS: usize = 4;

/// The pixel box of a `(w, h)` label at place `k` of [`AROUND`] around the
/// pixel point `(x, y)`, `gap` away from it.
pub fn around(k: usize, (x, y): (f64, f64), (w, h): (f64, f64), gap: f64) -> PixelRect {
    let d = gap * 0.85;
    let (x0, y0) = match k {
        0 => (x + gap, y - h / 2.0),
        1 => (x - gap - w, y - h / 2.0),
        2 => (x - w / 2.0, y - gap - h),
        3 => (x - w / 2.0, y + gap),
        4 => (x + d, y - d - h),
        5 => (x - d - w, y - d - h),
        6 => (x + d, y + d),
        7 => (x - d - w, y + d),
        8 => (x - w * 0.1, y - gap - h),
        9 => (x - w * 0.9, y - gap - h),
        10 => (x - w * 0.1, y + gap),
        _ => (x - w * 0.9, y + gap),
    };
    PixelRect {
        x0,
        y0,
        x1: x0 + w,
        y1: y0 + h,
    }
}

/// The area two rectangles share.
fn overlap(a: PixelRect, b: PixelRect) -> f64 {
    let w = a.x1.min(b.x1) - a.x0.max(b.x0);
    let h = a.y1.min(b.y1) - a.y0.max(b.y0);
    if w > 0.0 && h > 0.0 { w * h } else { 0.0 }
}

/// A label to place: where it may stand and how large it is.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelRequest {
    /// Its point and the alternative points, in pixels, preferred first.
    pub anchors: Vec<(f64, f64)>,
    /// Width and height in pixels.
    pub size: (f64, f64),
    /// How many rings of places around each anchor to try (at least 1).
    pub rings: usize,
}

/// Where a label went.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    /// Its box, in pixels.
    pub rect: PixelRect,
    /// The anchor it stands by (an index into the request's anchors).
    pub anchor: usize,
    /// The ring: 0 next to the anchor, more when pushed away.
    pub ring: usize,
}

/// Labels beyond this many are placed in the order given; up to it, every
/// order is tried and the best layout kept (7! = 5,040 orders at most).
const MAX_PERMUTED: usize = 7;

/// Rounds of pairwise improvement after the first layout.
const IMPROVEMENT_ROUNDS: usize = 6;

/// Every place a label may take: by anchor, then ring outwards, then the
/// places of [`around`].
fn candidates(request: &LabelRequest, gap: f64) -> Vec<Placed> {
    let (w, h) = request.size;
    let mut out = Vec::new();
    for (a, &anchor) in request.anchors.iter().enumerate() {
        for ring in 0..request.rings.max(1) {
            let distance = gap + ring as f64 * (h.max(2.0 * gap) + gap);
            for k in 0..AROUND {
                out.push(Placed {
                    rect: around(k, anchor, (w, h), distance),
                    anchor: a,
                    ring,
                });
            }
        }
    }
    out
}

/// What a layout must avoid, in pixels.
struct Scene<'a> {
    bounds: PixelRect,
    blocked: &'a [PixelRect],
    obstacles: &'a [Vec<(f64, f64, f64)>],
    /// Margin around markers and labels that a leader line must keep.
    margin: f64,
}

impl Scene<'_> {
    /// The cost of label `request` at `p` on its own: outside the plot,
    /// over markers or lines, pushed away from its point.
    fn own_cost(&self, request: &LabelRequest, p: &Placed) -> f64 {
        let area = (request.size.0 * request.size.1).max(1.0);
        let outside = if contains(self.bounds, p.rect) {
            0.0
        } else {
            1e6 * area
        };
        // Covering a marker hides data: it costs more than any push away.
        let covered: f64 = self
            .blocked
            .iter()
            .map(|&b| overlap(p.rect, b))
            .filter(|&o| o > 0.0)
            .map(|o| 2.0 * area + 4.0 * o)
            .sum();
        let crossed = self.obstacles.iter().filter(|o| crosses(o, p.rect)).count() as f64;
        let leader_hits = match self.leader(request, p) {
            Some((from, to)) => self
                .blocked
                .iter()
                .filter(|b| self.leader_hits(from, to, **b))
                .count() as f64,
            None => 0.0,
        };
        // A line behind a label shows through its white ground: better than
        // a label pushed far from its point, worse than a free place.
        outside
            + covered
            + leader_hits * 2.5 * area
            + crossed * area * 0.02
            + (p.ring as f64 * 0.1 + p.anchor as f64 * 0.05) * area
    }

    /// The cost of two labels together: overlapping, or one's leader line
    /// through the other.
    fn pair_cost(
        &self,
        (ra, a): (&LabelRequest, &Placed),
        (rb, b): (&LabelRequest, &Placed),
    ) -> f64 {
        let area_a = (ra.size.0 * ra.size.1).max(1.0);
        let area_b = (rb.size.0 * rb.size.1).max(1.0);
        // Labels keep a little clear space between them.
        let m = self.margin / 2.0;
        let grown = PixelRect {
            x0: a.rect.x0 - m,
            y0: a.rect.y0 - m,
            x1: a.rect.x1 + m,
            y1: a.rect.y1 + m,
        };
        let o = overlap(grown, b.rect);
        let mut cost = if o > 0.0 {
            2.0 * area_a.min(area_b) + 4.0 * o
        } else {
            0.0
        };
        if let Some((from, to)) = self.leader(ra, a)
            && self.leader_hits(from, to, b.rect)
        {
            cost += 2.5 * area_a;
        }
        if let Some((from, to)) = self.leader(rb, b)
            && self.leader_hits(from, to, a.rect)
        {
            cost += 2.5 * area_b;
        }
        cost
    }

    /// The leader line of a label pushed away from its point.
    fn leader(&self, request: &LabelRequest, p: &Placed) -> Option<((f64, f64), (f64, f64))> {
        (p.ring > 0).then(|| {
            let anchor = request.anchors[p.anchor];
            (anchor, nearest_on(p.rect, anchor))
        })
    }

    /// Whether a leader from `from` to `to` runs through `rect` (with a
    /// margin), leaving aside a rectangle around its own start.
    fn leader_hits(&self, from: (f64, f64), to: (f64, f64), rect: PixelRect) -> bool {
        let m = self.margin;
        let grown = PixelRect {
            x0: rect.x0 - m,
            y0: rect.y0 - m,
            x1: rect.x1 + m,
            y1: rect.y1 + m,
        };
        let start = PixelRect {
            x0: from.0,
            y0: from.1,
            x1: from.0,
            y1: from.1,
        };
        !contains(grown, start) && segment_hits(from, to, grown)
    }

    /// The cost of a whole layout.
    fn cost(&self, requests: &[LabelRequest], layout: &[Placed]) -> f64 {
        let mut total = 0.0;
        for i in 0..layout.len() {
            total += self.own_cost(&requests[i], &layout[i]);
            for j in i + 1..layout.len() {
                total += self.pair_cost((&requests[i], &layout[i]), (&requests[j], &layout[j]));
            }
        }
        total
    }

    /// The cost label `i` adds to `layout` at `p`, the others as they are.
    fn cost_of(&self, requests: &[LabelRequest], layout: &[Placed], i: usize, p: &Placed) -> f64 {
        self.own_cost(&requests[i], p)
            + (0..layout.len())
                .filter(|&j| j != i)
                .map(|j| self.pair_cost((&requests[i], p), (&requests[j], &layout[j])))
                .sum::<f64>()
    }
}

/// Chooses a box for each label so that, where the plot leaves room, none
/// leaves `bounds`, overlaps another, covers a marker of `blocked` or lies
/// across a line of `obstacles` (pixel vertices for [`crosses`]), and each
/// stays near its first anchor: the places tried are those of [`around`],
/// ring after ring outwards, by each anchor in turn; a label pushed off its
/// first ring gets a leader line, which must not cross another label or a
/// marker. The first layout places the labels one by one, each at its first
/// free place, trying every order of the labels with a single anchor (up to
/// [`MAX_PERMUTED`] of them); pairs of labels are then moved together while
/// that lowers the cost of the layout.
pub fn choose_label_boxes(
    requests: &[LabelRequest],
    gap: f64,
    bounds: PixelRect,
    blocked: &[PixelRect],
    obstacles: &[Vec<(f64, f64, f64)>],
) -> Vec<Placed> {
    let scene = Scene {
        bounds,
        blocked,
        obstacles,
        margin: gap / 2.0,
    };
    let (own, shared): (Vec<usize>, Vec<usize>) =
        (0..requests.len()).partition(|&i| requests[i].anchors.len() <= 1);
    let mut orders: Vec<Vec<usize>> = Vec::new();
    if own.len() <= MAX_PERMUTED {
        permutations(&own, &mut Vec::new(), &mut orders);
    } else {
        orders.push(own.clone());
    }
    let mut best: Option<(f64, Vec<Placed>)> = None;
    for mut order in orders {
        order.extend(&shared);
        let placed = place_in_order(&scene, requests, &order, gap);
        let mut layout = placed.clone();
        for (k, &i) in order.iter().enumerate() {
            layout[i] = placed[k];
        }
        let cost = scene.cost(requests, &layout);
        if best.as_ref().is_none_or(|(b, _)| cost < *b - 1e-9) {
            best = Some((cost, layout));
        }
    }
    let Some((mut cost, mut layout)) = best else {
        return Vec::new();
    };
    // Pairwise improvement: two labels change places together when that
    // lowers the cost, which one at a time cannot find.
    let all: Vec<Vec<Placed>> = requests.iter().map(|r| candidates(r, gap)).collect();
    for _ in 0..IMPROVEMENT_ROUNDS {
        let mut improved = false;
        for i in 0..layout.len() {
            for j in i + 1..layout.len() {
                let before = scene.cost_of(requests, &layout, i, &layout[i])
                    + scene.cost_of(requests, &layout, j, &layout[j])
                    - scene.pair_cost((&requests[i], &layout[i]), (&requests[j], &layout[j]));
                let mut best_pair: Option<(f64, Placed, Placed)> = None;
                for a in &all[i] {
                    let alone_a = scene.own_cost(&requests[i], a);
                    if alone_a >= before {
                        continue;
                    }
                    let with_others_a: f64 = (0..layout.len())
                        .filter(|&k| k != i && k != j)
                        .map(|k| scene.pair_cost((&requests[i], a), (&requests[k], &layout[k])))
                        .sum();
                    for b in &all[j] {
                        let mut trial = alone_a + with_others_a;
                        if trial >= before {
                            break;
                        }
                        trial += scene.own_cost(&requests[j], b)
                            + scene.pair_cost((&requests[i], a), (&requests[j], b))
                            + (0..layout.len())
                                .filter(|&k| k != i && k != j)
                                .map(|k| {
                                    scene.pair_cost((&requests[j], b), (&requests[k], &layout[k]))
                                })
                                .sum::<f64>();
                        if trial < before - 1e-6
                            && best_pair.as_ref().is_none_or(|(c, _, _)| trial < *c)
                        {
                            best_pair = Some((trial, *a, *b));
                        }
                    }
                }
                if let Some((_, a, b)) = best_pair {
                    layout[i] = a;
                    layout[j] = b;
                    improved = true;
                }
            }
        }
        let now = scene.cost(requests, &layout);
        if !improved || now >= cost - 1e-6 {
            break;
        }
        cost = now;
    }
    layout
}

/// Every order of `items`, appended to `out`.
fn permutations(items: &[usize], prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    if items.is_empty() {
        out.push(prefix.clone());
        return;
    }
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        prefix.push(rest.remove(i));
        permutations(&rest, prefix, out);
        prefix.pop();
    }
}

/// Places the labels in `order`, each at its first free place given those
/// before it (or its cheapest), and returns the boxes in that order.
fn place_in_order(
    scene: &Scene,
    requests: &[LabelRequest],
    order: &[usize],
    gap: f64,
) -> Vec<Placed> {
    let mut chosen: Vec<(usize, Placed)> = Vec::with_capacity(order.len());
    for &i in order {
        let request = &requests[i];
        let area = (request.size.0 * request.size.1).max(1.0);
        let mut best: Option<(f64, Placed)> = None;
        for p in candidates(request, gap) {
            let c = scene.own_cost(request, &p)
                + chosen
                    .iter()
                    .map(|(j, q)| scene.pair_cost((request, &p), (&requests[*j], q)))
                    .sum::<f64>();
            let free = (p.ring as f64 * 0.1 + p.anchor as f64 * 0.05) * area;
            if best.is_none_or(|(b, _)| c < b) {
                best = Some((c, p));
            }
            if c <= free + 1e-9 {
                break;
            }
        }
        let placed = best.map_or(
            Placed {
                rect: around(
                    0,
                    request.anchors.first().copied().unwrap_or((0.0, 0.0)),
                    request.size,
                    gap,
                ),
                anchor: 0,
                ring: 0,
            },
            |(_, p)| p,
        );
        chosen.push((i, placed));
    }
    chosen.into_iter().map(|(_, p)| p).collect()
}

/// Whether the segment from `a` to `b` enters `rect` (sampled finely enough
/// for label-sized boxes).
fn segment_hits(a: (f64, f64), b: (f64, f64), rect: PixelRect) -> bool {
    let steps = ((b.0 - a.0).abs().max((b.1 - a.1).abs()) / 2.0)
        .ceil()
        .max(1.0) as usize;
    (0..=steps).any(|i| {
        let t = i as f64 / steps as f64;
        let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        x > rect.x0 && x < rect.x1 && y > rect.y0 && y < rect.y1
    })
}

/// The point of `rect` nearest to `(x, y)`.
fn nearest_on(rect: PixelRect, (x, y): (f64, f64)) -> (f64, f64) {
    (x.clamp(rect.x0, rect.x1), y.clamp(rect.y0, rect.y1))
}

/// Writes every label next to its point, none over another, over a marker in
/// `markers` or across `obstacles` where the plot leaves room (see
/// [`choose_label_boxes`]); labels earlier in `labels` choose first. A label
/// pushed away from its point is joined to it by a thin leader line, and
/// every label stands on a faint white ground, so that a line passing behind
/// it does not hide its letters.
pub fn draw_point_labels<DB: DrawingBackend>(
    chart: &Plot<DB>,
    theme: &Theme,
    labels: &[PointLabel],
    markers: &[(f64, f64)],
    obstacles: &[Obstacle],
) -> Drawn<DB> {
    let area = chart.plotting_area();
    let bold = theme.annotation_font();
    let regular = theme.font(size::ANNOTATION, palette::TEXT);
    let note = theme.font(size::ANNOTATION * 0.85, palette::MUTED_TEXT);
    let style_of = |label: &PointLabel, i: usize| {
        if !label.bold {
            note.clone()
        } else if i == 0 {
            match label.colour {
                Some(c) => theme.bold(size::ANNOTATION, text_colour(c)),
                None => bold.clone(),
            }
        } else {
            regular.clone()
        }
    };
    let line_height = |label: &PointLabel| {
        f64::from(theme.px(size::ANNOTATION * if label.bold { 1.2 } else { 1.0 }))
    };
    let pixel = |at: &(f64, f64)| {
        let (x, y) = chart.backend_coord(at);
        (f64::from(x), f64::from(y))
    };
    let requests: Vec<LabelRequest> = labels
        .iter()
        .map(|label| {
            let width = label
                .lines
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    area.estimate_text_size(t, &style_of(label, i))
                        .map_or(0.0, |(w, _)| f64::from(w))
                })
                .fold(0.0, f64::max);
            LabelRequest {
                anchors: std::iter::once(&label.at)
                    .chain(&label.alternatives)
                    .map(pixel)
                    .collect(),
                size: (width, line_height(label) * label.lines.len() as f64),
                rings: if label.alternatives.is_empty() {
                    RINGS
                } else {
                    1
                },
            }
        })
        .collect();
    let r = f64::from(theme.px(size::MARKER + 3.0));
    let blocked: Vec<PixelRect> = markers
        .iter()
        .map(|m| {
            let (x, y) = pixel(m);
            PixelRect {
                x0: x - r,
                y0: y - r,
                x1: x + r,
                y1: y + r,
            }
        })
        .collect();
    let pad = f64::from(theme.px(3.0));
    // Labels and their white ground stay clear of the axes.
    let plot = plot_rect(chart);
    let inset = pad + f64::from(theme.px(3.0));
    let bounds = PixelRect {
        x0: plot.x0 + inset,
        y0: plot.y0 + inset,
        x1: plot.x1 - inset,
        y1: plot.y1 - inset,
    };
    let placed = choose_label_boxes(
        &requests,
        f64::from(theme.px(14.0)),
        bounds,
        &blocked,
        &obstacle_pixels(chart, obstacles),
    );
    let whole = area.strip_coord_spec();
    let (base_x, base_y) = whole.get_base_pixel();
    let local = |(x, y): (f64, f64)| {
        (
            (x - f64::from(base_x)).round() as i32,
            (y - f64::from(base_y)).round() as i32,
        )
    };
    for ((label, request), p) in labels.iter().zip(&requests).zip(&placed) {
        let rect = p.rect;
        let anchor = request.anchors[p.anchor];
        if p.ring > 0 {
            // From the marker's edge to the label's.
            let end = nearest_on(rect, anchor);
            let length = (end.0 - anchor.0).hypot(end.1 - anchor.1).max(1.0);
            let start = (
                anchor.0 + (end.0 - anchor.0) * r / length,
                anchor.1 + (end.1 - anchor.1) * r / length,
            );
            whole.draw(&PathElement::new(
                vec![local(start), local(end)],
                theme.line(palette::SAMPLE, 1.5),
            ))?;
        }
        whole.draw(&Rectangle::new(
            [
                local((rect.x0 - pad, rect.y0 - pad)),
                local((rect.x1 + pad, rect.y1 + pad)),
            ],
            WHITE.mix(0.8).filled(),
        ))?;
        let lh = line_height(label);
        for (i, text) in label.lines.iter().enumerate() {
            let style = style_of(label, i).pos(Pos::new(HPos::Left, VPos::Top));
            whole.draw_text(text, &style, local((rect.x0, rect.y0 + lh * i as f64)))?;
        }
    }
    Ok(())
}

/// The width in pixels of `text` in the annotation font.
pub fn annotation_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    text: &str,
) -> i32 {
    area.estimate_text_size(text, &theme.annotation_font())
        .map_or(0, |(w, _)| w as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::YearMonth;

    /// Whether `font` maps `c` to a real glyph (not the missing-glyph box).
    fn has_glyph(font: &'static [u8], c: char) -> bool {
        use ab_glyph::Font;
        let face = ab_glyph::FontRef::try_from_slice(font).expect("a valid font");
        face.glyph_id(c).0 != 0
    }

    #[test]
    fn every_chart_character_has_a_glyph_in_both_faces() {
        let july = YearMonth::new(2020, 7).unwrap();
        let mut text = String::new();
        for lang in [Lang::En, Lang::Fr] {
            text += &format!("{:?}", lang.strings());
            for m in 0..12 {
                text += &lang.month(july.plus(m));
            }
            text += &lang.p_target_sentence(5000, "x", &crate::stats::Proportion::wilson(1, 9), 9);
            text += &lang.p_target_sentence(5000, "x", &crate::stats::Proportion::wilson(0, 9), 9);
            text += &lang.source_line("x", "0.1.0", 20000, 1);
            text += &lang.hitting_subtitle(5000, 0.4, 36, None);
            text += &lang.at_or_above_label(5000, 0.1);
            text += &lang.thousands(1_234_567);
            text += &lang.share(0.123);
            text += &lang.percent_tick(2.5);
            // The analysis charts.
            text += &lang.signed(-0.21, 2);
            text += &lang.signed_jobs(630.0);
            text += &lang.arrow("1", "2");
            text += &lang.param_value("firm[X].happens", 0.0);
            text += &lang.param_value("labour.qualified_share", 0.068);
            text += &lang.param_label("arrivals.firms_per_year");
            text += &lang.per_job(195_842.0);
            text += &lang.per_job_short(200_000.0);
            text += &lang.compare_target_title(5000, "x");
            text += &lang.compare_target_subtitle(5000, "x", Some(0.001));
            text += &lang.cost_subtitle("x", &["y".to_string()], false);
            text += &lang.tornado_subtitle(300, 2);
            text += &lang.prcc_subtitle(300);
            text += &lang.prim_title(2400, "x");
            text += &lang.chosen_box_label(0.5, 0.8).concat();
            text += &lang.min_coverage_label(0.5);
            text += &crate::chart::analysis::short_name("abcdef", 3);
        }
        text.push('\u{202f}');
        text.push('\u{a0}');
        for (name, font) in [("regular", REGULAR), ("bold", BOLD)] {
            let missing: String = text.chars().filter(|&c| !has_glyph(font, c)).collect();
            assert!(missing.is_empty(), "{name} lacks {missing:?}");
        }
        assert!(!has_glyph(REGULAR, '\u{4e00}'), "the check can fail");
    }

    #[test]
    fn labels_avoid_lines_and_bands() {
        let rect = PixelRect {
            x0: 10.0,
            y0: 10.0,
            x1: 20.0,
            y1: 20.0,
        };
        // A line passing below, then one rising through the box.
        assert!(!crosses(&[(0.0, 30.0, 30.0), (40.0, 25.0, 25.0)], rect));
        assert!(crosses(&[(0.0, 30.0, 30.0), (30.0, 0.0, 0.0)], rect));
        // A band whose edges miss the box but which covers it.
        assert!(crosses(&[(0.0, 0.0, 40.0), (40.0, 0.0, 40.0)], rect));
        // Segments wholly left or right of the box.
        assert!(!crosses(&[(0.0, 15.0, 15.0), (5.0, 15.0, 15.0)], rect));
        assert!(!crosses(&[(25.0, 15.0, 15.0), (30.0, 15.0, 15.0)], rect));
        // A vertical segment, a point, and a step between bars.
        assert!(crosses(&[(15.0, 0.0, 40.0)], rect));
        assert!(!crosses(&[(25.0, 15.0, 15.0)], rect));
        assert!(crosses(
            &[
                (5.0, 30.0, 30.0),
                (15.0, 30.0, 30.0),
                (15.0, 12.0, 12.0),
                (30.0, 12.0, 12.0)
            ],
            rect
        ));
    }

    #[test]
    fn sizes_scale_with_the_smaller_ratio() {
        let slide = Theme::new(1600, 900, Lang::En, String::new());
        assert_eq!(slide.px(10.0), 10);
        let half = Theme::new(800, 900, Lang::En, String::new());
        assert_eq!(half.px(10.0), 5);
        assert_eq!(Theme::new(3200, 1800, Lang::En, String::new()).px(10.0), 20);
    }

    #[test]
    fn options_keep_their_colours_and_the_base_is_grey() {
        assert_eq!(option_colour(0), palette::BASE);
        assert_eq!(option_colour(1), palette::OPTIONS[0]);
        assert_eq!(option_colour(9), palette::OPTIONS[0], "the scheme repeats");
        assert_eq!(option_colour_hex(1), "#332288");
        assert_eq!(option_colour_hex(0), "#6B6B6B");
        // Light colours are darkened for text; dark ones are kept.
        assert_eq!(text_colour(palette::HEADCOUNT), palette::HEADCOUNT);
        let RGBColor(r, g, b) = text_colour(RGBColor(0x88, 0xCC, 0xEE));
        assert!(0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b) <= 130.5);
    }

    #[test]
    fn places_around_a_point_keep_their_distance() {
        let size = (40.0, 10.0);
        for k in 0..AROUND {
            let r = around(k, (100.0, 100.0), size, 5.0);
            assert!((r.x1 - r.x0 - 40.0).abs() < 1e-9 && (r.y1 - r.y0 - 10.0).abs() < 1e-9);
            assert!(
                !(r.x0 < 100.0 && r.x1 > 100.0 && r.y0 < 100.0 && r.y1 > 100.0),
                "place {k} covers its point"
            );
        }
        assert_eq!(around(0, (100.0, 100.0), size, 5.0).x0, 105.0);
        assert_eq!(around(1, (100.0, 100.0), size, 5.0).x1, 95.0);
        assert_eq!(around(2, (100.0, 100.0), size, 5.0).y1, 95.0);
    }

    fn point_rect((x, y): (f64, f64), r: f64) -> PixelRect {
        PixelRect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }

    #[test]
    fn crowded_labels_overlap_neither_each_other_nor_the_markers() {
        // Three points close together near the corner of the plot, as the
        // cheap options sit near the origin of the cost chart, and two apart.
        let bounds = PixelRect {
            x0: 100.0,
            y0: 240.0,
            x1: 1530.0,
            y1: 760.0,
        };
        let points = [
            (393.0, 676.0),
            (269.0, 689.0),
            (179.0, 703.0),
            (698.0, 552.0),
            (1389.0, 335.0),
        ];
        let requests: Vec<LabelRequest> = points
            .iter()
            .map(|&p| LabelRequest {
                anchors: vec![p],
                size: (235.0, 70.0),
                rings: RINGS,
            })
            .collect();
        let blocked: Vec<PixelRect> = points.iter().map(|&p| point_rect(p, 11.0)).collect();
        let placed = choose_label_boxes(&requests, 14.0, bounds, &blocked, &[]);
        assert_eq!(placed.len(), points.len());
        for (i, a) in placed.iter().enumerate() {
            assert!(contains(bounds, a.rect), "label {i} leaves the plot: {a:?}");
            for b in &blocked {
                assert_eq!(overlap(a.rect, *b), 0.0, "label {i} covers a marker");
            }
            for b in &placed[i + 1..] {
                assert_eq!(overlap(a.rect, b.rect), 0.0, "labels overlap: {a:?} {b:?}");
            }
        }
        // The lone points keep their labels beside them.
        assert_eq!(placed[3].ring, 0);
        assert_eq!(placed[4].ring, 0);
    }

    #[test]
    fn a_label_along_a_line_moves_to_a_free_anchor() {
        let bounds = PixelRect {
            x0: 0.0,
            y0: 0.0,
            x1: 1000.0,
            y1: 600.0,
        };
        // Something fills the space around the line's far end; the next
        // anchor along the line is free.
        let filled = PixelRect {
            x0: 700.0,
            y0: 100.0,
            x1: 1000.0,
            y1: 500.0,
        };
        let line = LabelRequest {
            anchors: vec![(990.0, 310.0), (500.0, 500.0)],
            size: (100.0, 20.0),
            rings: 1,
        };
        let placed = choose_label_boxes(&[line], 10.0, bounds, &[filled], &[]);
        assert_eq!(placed[0].anchor, 1);
        assert_eq!(overlap(placed[0].rect, filled), 0.0);
    }
}
