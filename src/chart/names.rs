//! How charts name comparison options and inputs: names in the reader's
//! language, cut to a length a chart can show.

use crate::compare::OptionResult;
use crate::text::Lang;

/// The longest option or parameter name shown on a chart, in characters;
/// longer names are cut with an ellipsis (the report shows them whole).
pub const MAX_NAME_CHARS: usize = 40;

/// `name` cut to at most `max` characters, with an ellipsis when cut.
pub fn short_name(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_string();
    }
    let cut: String = name.chars().take(max.saturating_sub(1)).collect();
    format!("{}\u{2026}", cut.trim_end())
}

/// The name of a comparison option as charts and reports show it: the base
/// case of a file is named in the reader's language.
pub fn option_name(option: &OptionResult, slot: usize, lang: Lang) -> String {
    if slot == 0 && option.name == Lang::En.strings().base_case {
        lang.strings().base_case.to_string()
    } else {
        option.name.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        assert_eq!(short_name("Transport support", 40), "Transport support");
        let cut = short_name("OFPPT training, 2,000 places a year, with ANAPEC", 20);
        assert_eq!(cut, "OFPPT training, 2,0\u{2026}");
        assert_eq!(cut.chars().count(), 20);
        assert_eq!(short_name("ab cd", 4), "ab\u{2026}");
    }
}
