//! How charts name comparison options and inputs: names in the reader's
//! language, cut to a length a chart can show.

use crate::analysis::compare::OptionResult;
use crate::present::text::Lang;

/// The longest option or parameter name shown on a chart, in characters;
/// longer names are cut with an ellipsis (the report shows them whole).
pub const MAX_NAME_CHARS: usize = 45;

/// `name` cut to at most `max` characters, with an ellipsis when cut.
pub fn short_name(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_string();
    }
    let cut: String = name.chars().take(max.saturating_sub(1)).collect();
    format!("{}\u{2026}", cut.trim_end())
}

/// The longest line of a name in a point's label, in characters.
pub const LABEL_LINE_CHARS: usize = 28;

/// `name` on at most two lines of at most `width` characters, broken between
/// words, never at a no-break space ("2\u{202f}000"); a word longer than a
/// line is cut, and what does not fit on two lines ends in an ellipsis.
pub fn wrap_name(name: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let breaks = |c: char| c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}';
    let mut words = name.split(breaks).filter(|w| !w.is_empty());
    while let Some(word) = words.next() {
        let full = lines.len() == 2;
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ if full => {
                // The rest does not fit: the second line ends in an ellipsis.
                let rest: Vec<&str> = std::iter::once(word).chain(words).collect();
                let last = lines.pop().unwrap_or_default();
                lines.push(short_name(&format!("{last} {}", rest.join(" ")), width));
                break;
            }
            _ => lines.push(short_name(word, width)),
        }
    }
    lines
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
    fn names_wrap_on_two_lines_between_words() {
        assert_eq!(wrap_name("Transport support", 28), ["Transport support"]);
        assert_eq!(
            wrap_name("Investor incentives of the regional council and AMDIE", 28),
            ["Investor incentives of the", "regional council and AMDIE"]
        );
        let three = wrap_name(
            "Transport support for night-shift agents from the outer districts",
            28,
        );
        assert_eq!(three.len(), 2);
        assert_eq!(three[0], "Transport support for");
        assert!(three[1].ends_with('\u{2026}') && three[1].chars().count() <= 28);
        assert_eq!(wrap_name("Supercalifragilistic", 8), ["Superca\u{2026}"]);
        // A number's no-break space is never a line break.
        assert_eq!(
            wrap_name("Formation OFPPT, 2\u{202f}000 places par an", 20),
            ["Formation OFPPT,", "2\u{202f}000 places par an"]
        );
    }

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        assert_eq!(short_name("Transport support", 40), "Transport support");
        let cut = short_name("OFPPT training, 2,000 places a year, with ANAPEC", 20);
        assert_eq!(cut, "OFPPT training, 2,0\u{2026}");
        assert_eq!(cut.chars().count(), 20);
        assert_eq!(short_name("ab cd", 4), "ab\u{2026}");
    }
}
