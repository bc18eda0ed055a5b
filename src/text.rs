//! Every string shorecast shows a reader, in English and French, and the number
//! and date formats that go with each language.

use crate::calendar::YearMonth;

/// The language of charts, reports and summaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// A whole number with thousands separators: "5,000" or "5 000" (a narrow
    /// no-break space in French, as the French typographic convention has it).
    pub fn thousands(self, value: u64) -> String {
        let digits = value.to_string();
        let separator = match self {
            Lang::En => ",",
            Lang::Fr => "\u{202f}",
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(separator);
            }
            out.push(c);
        }
        out
    }

    /// A percentage with one decimal: "23.4%" or "23,4 %".
    pub fn percent(self, share: f64) -> String {
        match self {
            Lang::En => format!("{:.1}%", share * 100.0),
            Lang::Fr => format!("{:.1}\u{a0}%", share * 100.0).replace('.', ","),
        }
    }

    /// A month as "Jul 2020" or "juil. 2020".
    pub fn month(self, date: YearMonth) -> String {
        const EN: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        const FR: [&str; 12] = [
            "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
            "nov.", "déc.",
        ];
        let names = match self {
            Lang::En => EN,
            Lang::Fr => FR,
        };
        format!("{} {}", names[date.month() as usize - 1], date.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_months_follow_the_language() {
        assert_eq!(Lang::En.thousands(5000), "5,000");
        assert_eq!(Lang::En.thousands(1234567), "1,234,567");
        assert_eq!(Lang::En.thousands(999), "999");
        assert_eq!(Lang::Fr.thousands(5000), "5\u{202f}000");
        assert_eq!(Lang::En.percent(0.2345), "23.4%");
        assert_eq!(Lang::Fr.percent(0.2345), "23,4\u{a0}%");
        let july = YearMonth::new(2020, 7).unwrap();
        assert_eq!(Lang::En.month(july), "Jul 2020");
        assert_eq!(Lang::Fr.month(july), "juil. 2020");
    }
}
