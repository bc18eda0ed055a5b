//! Text bound for the terminal, stripped of what could act on it.

/// `text` with control characters (escape sequences, carriage returns, bidi
/// overrides) removed, for the terminal: user text such as scenario and policy
/// names cannot clear the screen or retitle the window. Newlines are kept.
pub fn terminal_safe(text: &str) -> String {
    let unsafe_char = |c: char| {
        let v = u32::from(c);
        (c.is_control() && c != '\n')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            || matches!(c, '\u{2028}' | '\u{2029}')
            || (0xFDD0..=0xFDEF).contains(&v)
            || v & 0xFFFE == 0xFFFE
    };
    text.chars().filter(|&c| !unsafe_char(c)).collect()
}
