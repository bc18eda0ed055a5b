//! The look every chart shares: the bundled font, the palette, the sizes and
//! the [`Theme`] that scales them. Knows nothing about frames, axes or labels,
//! which are drawn with it.

use std::sync::Once;

use plotters::prelude::*;

use crate::core::model::Series;
use crate::core::scenario::Group;
use crate::present::text::Lang;

/// The font family charts ask for. Bitmaps are drawn with the bundled Noto Sans
/// registered under this name; SVG viewers read it as a CSS font list, so they
/// use Noto Sans where installed and a metric-compatible sans-serif otherwise.
pub const FAMILY: &str = "Noto Sans, Arial, Helvetica, sans-serif";

/// Noto Sans Regular (SIL Open Font License 1.1, `assets/fonts/LICENSE_OFL.txt`).
pub static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf");
/// Noto Sans Bold (same licence).
pub static BOLD: &[u8] = include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf");

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
pub(super) mod size {
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

    /// Style of secondary notes inside the plot (such as where the history
    /// ends): regular and muted, under the bold annotations.
    pub fn note_font(&self) -> TextStyle<'static> {
        self.font(size::ANNOTATION, palette::MUTED_TEXT)
    }
}

/// Drawing result of a backend.
pub type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Line height of text of `size`.
pub(super) fn line_height(theme: &Theme, size: f64) -> i32 {
    theme.px(size * 1.12)
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
