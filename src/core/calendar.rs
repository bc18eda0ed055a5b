//! Calendar months: model month `m` is `start + m` months.

use std::fmt;
use std::str::FromStr;

/// A calendar month such as July 2020.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    /// 1 = January .. 12 = December.
    month: u32,
}

impl YearMonth {
    /// Builds a month, or `None` when `month` is not 1..=12 or the year is outside
    /// 1900..=2999 (a scenario date outside that range is certainly a typo).
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        ((1900..=2999).contains(&year) && (1..=12).contains(&month))
            .then_some(YearMonth { year, month })
    }

    /// The calendar year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month of the year, 1 = January.
    pub fn month(self) -> u32 {
        self.month
    }

    /// The month `months` later.
    pub fn plus(self, months: u32) -> YearMonth {
        let index = self.index() + i64::from(months);
        YearMonth {
            year: index.div_euclid(12) as i32,
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// Months from `earlier` to `self` (negative when `self` comes first).
    pub fn months_since(self, earlier: YearMonth) -> i64 {
        self.index() - earlier.index()
    }

    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = String;

    fn from_str(s: &str) -> Result<YearMonth, String> {
        let bad = || format!("must be a month written YYYY-MM (e.g. \"2020-07\"), got \"{s}\"");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year = y.parse().map_err(|_| bad())?;
        let month = m.parse().map_err(|_| bad())?;
        YearMonth::new(year, month).ok_or_else(|| {
            format!("is not a real month (year 1900-2999, month 01-12), got \"{s}\"")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_add_across_years() {
        let start: YearMonth = "2020-07".parse().unwrap();
        assert_eq!(start.plus(0).to_string(), "2020-07");
        assert_eq!(start.plus(6).to_string(), "2021-01");
        assert_eq!(start.plus(24).to_string(), "2022-07");
        assert_eq!(start.plus(29).months_since(start), 29);
    }

    #[test]
    fn bad_months_are_refused() {
        for s in ["2020-13", "2020-00", "20-07", "2020/07", "July", "1800-01"] {
            assert!(s.parse::<YearMonth>().is_err(), "{s} was accepted");
        }
    }
}
