//! Resource quantities (`500m`, `32Gi`, `1e3`) as apimachinery's
//! `resource.Quantity` holds them: an exact value and the format its text
//! was written in, which is the format its sums are printed in. The node
//! describer adds pods' requests and limits and prints them, and their
//! shares of what the node can allocate, as kubectl does.

use std::cmp::Ordering;

/// How a quantity is printed: with a decimal suffix (`k`, `m`), a binary
/// one (`Ki`, `Mi`), or an exponent (`1e3`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

/// `mantissa × 10^scale`, exact (a binary suffix is a whole power of two,
/// which a decimal fraction times it stays).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantity {
    mantissa: i128,
    scale: i32,
    format: Format,
}

const DECIMAL: [(&str, i32); 9] = [
    ("n", -9),
    ("u", -6),
    ("m", -3),
    ("k", 3),
    ("M", 6),
    ("G", 9),
    ("T", 12),
    ("P", 15),
    ("E", 18),
];

const BINARY: [(&str, u32); 6] = [("Ki", 1), ("Mi", 2), ("Gi", 3), ("Ti", 4), ("Pi", 5), ("Ei", 6)];

/// The smallest scale apimachinery keeps: finer values are rounded up.
const NANO: i32 = -9;

impl Quantity {
    /// Go's zero `Quantity`, what a missing resource reads as.
    pub fn zero() -> Quantity {
        Quantity {
            mantissa: 0,
            scale: 0,
            format: Format::DecimalSi,
        }
    }

    /// A quantity's text, or `None` where apimachinery refuses it.
    pub fn parse(text: &str) -> Option<Quantity> {
        let (negative, rest) = match text.as_bytes().first()? {
            b'-' => (true, &text[1..]),
            b'+' => (false, &text[1..]),
            _ => (false, text),
        };
        let end = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(end);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
            return None;
        }
        let digits: i128 = format!("{whole}{fraction}").parse().ok()?;
        let fraction_len = i32::try_from(fraction.len()).ok()?;
        let (mut mantissa, mut scale, format) = if suffix.is_empty() {
            (digits, 0, Format::DecimalSi)
        } else if let Some((_, exp)) = DECIMAL.iter().find(|(s, _)| *s == suffix) {
            (digits, *exp, Format::DecimalSi)
        } else if let Some((_, power)) = BINARY.iter().find(|(s, _)| *s == suffix) {
            (digits.checked_mul(1i128 << (10 * power))?, 0, Format::BinarySi)
        } else if let Some(exp) = suffix.strip_prefix(['e', 'E']) {
            (digits, exp.parse::<i32>().ok()?, Format::DecimalExponent)
        } else {
            return None;
        };
        scale -= fraction_len;
        if scale < NANO {
            let divisor = 10i128.checked_pow(u32::try_from(NANO - scale).ok()?)?;
            mantissa = ceil_div(mantissa, divisor);
            scale = NANO;
        }
        if negative {
            mantissa = -mantissa;
        }
        Some(Quantity {
            mantissa,
            scale,
            format,
        })
    }

    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// Adds `other`, as `Quantity.Add` does: the sum keeps this one's
    /// format, unless this one is zero.
    pub fn add(&mut self, other: &Quantity) {
        if self.is_zero() {
            self.format = other.format;
        }
        let scale = self.scale.min(other.scale);
        self.mantissa =
            rescale(self.mantissa, self.scale - scale) + rescale(other.mantissa, other.scale - scale);
        self.scale = scale;
    }

    /// The value in thousandths, rounded up (`MilliValue`).
    pub fn milli_value(&self) -> i64 {
        self.scaled(-3)
    }

    /// The value, rounded up (`Value`).
    pub fn value(&self) -> i64 {
        self.scaled(0)
    }

    /// The value in units of `10^scale`, rounded up.
    fn scaled(&self, scale: i32) -> i64 {
        let v = if self.scale >= scale {
            rescale(self.mantissa, self.scale - scale)
        } else {
            ceil_div(self.mantissa, 10i128.pow((scale - self.scale).unsigned_abs()))
        };
        i64::try_from(v).unwrap_or(i64::MAX)
    }

    /// The value as a float (for `resourceFieldRef`'s arithmetic).
    pub fn as_f64(&self) -> f64 {
        self.mantissa as f64 * 10f64.powi(self.scale)
    }

    /// The value as an integer, if it is one.
    fn integer(&self) -> Option<i128> {
        if self.scale >= 0 {
            return Some(rescale(self.mantissa, self.scale));
        }
        let divisor = 10i128.checked_pow(self.scale.unsigned_abs())?;
        (self.mantissa % divisor == 0).then_some(self.mantissa / divisor)
    }

    /// The canonical text, as `Quantity.String()` prints it: the fewest
    /// digits with a suffix of the quantity's format; a binary one only for
    /// whole values of 1024 or more, else decimal.
    pub fn canonical(&self) -> String {
        if self.is_zero() {
            return "0".into();
        }
        if self.format == Format::BinarySi
            && let Some(mut n) = self.integer().filter(|n| n.abs() >= 1024)
        {
            let mut power = 0;
            while n.abs() >= 1024 && n % 1024 == 0 && power < BINARY.len() {
                n /= 1024;
                power += 1;
            }
            let suffix = if power == 0 { "" } else { BINARY[power - 1].0 };
            return format!("{n}{suffix}");
        }
        let (mut m, mut exp) = (self.mantissa, self.scale);
        while m % 10 == 0 {
            m /= 10;
            exp += 1;
        }
        // Exponents a multiple of three, the digits made up with zeros.
        match exp.rem_euclid(3) {
            1 => (m, exp) = (m * 10, exp - 1),
            2 => (m, exp) = (m * 100, exp - 2),
            _ => {}
        }
        let suffix = match (self.format, exp) {
            (_, 0) => String::new(),
            (Format::DecimalExponent, e) => format!("e{e}"),
            (_, e) => match DECIMAL.iter().find(|(_, x)| *x == e) {
                Some((s, _)) => (*s).to_string(),
                None => format!("e{e}"),
            },
        };
        format!("{m}{suffix}")
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Quantity) -> Option<Ordering> {
        let scale = self.scale.min(other.scale);
        let (a, b) = (
            rescale(self.mantissa, self.scale - scale),
            rescale(other.mantissa, other.scale - scale),
        );
        Some(a.cmp(&b))
    }
}

/// `m × 10^by` (`by` ≥ 0), saturating.
fn rescale(m: i128, by: i32) -> i128 {
    10i128
        .checked_pow(by.max(0).unsigned_abs())
        .and_then(|p| m.checked_mul(p))
        .unwrap_or(if m < 0 { i128::MIN } else { i128::MAX })
}

/// `a / b` rounded away from zero, as apimachinery rounds a value it cannot
/// hold exactly.
fn ceil_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b == 0 {
        q
    } else if a < 0 {
        q - 1
    } else {
        q + 1
    }
}

/// A share as kubectl prints it: Go's `int64(float64(a) / float64(b) * 100)`,
/// where a float out of range (a division by zero) becomes the smallest
/// int64 on amd64, as kubectl prints it there.
pub fn percent(part: i64, whole: i64) -> i64 {
    let f = part as f64 / whole as f64 * 100.0;
    if f.is_finite() && f > i64::MIN as f64 && f < i64::MAX as f64 {
        f as i64
    } else {
        i64::MIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        Quantity::parse(text).unwrap_or_else(|| panic!("{text}"))
    }

    #[test]
    fn quantities_print_in_their_canonical_form() {
        for (text, want) in [
            ("0", "0"),
            ("0Ki", "0"),
            ("8", "8"),
            ("10", "10"),
            ("100m", "100m"),
            ("1000m", "1"),
            ("0.5", "500m"),
            ("1.5", "1500m"),
            ("1500k", "1500k"),
            ("2000k", "2M"),
            ("32Gi", "32Gi"),
            ("2048Ki", "2Mi"),
            ("1.5Gi", "1536Mi"),
            ("8029056Ki", "8029056Ki"),
            ("512", "512"),
            ("1Ki", "1Ki"),
            ("0.5Ki", "512"),
            ("1e3", "1e3"),
            ("1E6", "1e6"),
            ("12e2", "1200"),
            ("1n", "1n"),
            ("0.1n", "1n"),
            ("-5m", "-5m"),
            ("5.5Ki", "5632"),
        ] {
            assert_eq!(q(text).canonical(), want, "{text}");
        }
        for bad in ["", "Mi", "1.2.3", "5x", "1e", "--1"] {
            assert_eq!(Quantity::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn sums_keep_the_first_formats_as_apimachinery_adds() {
        let mut sum = q("32Gi");
        sum.add(&q("64Mi"));
        assert_eq!(sum.canonical(), "32832Mi");
        let mut sum = q("1");
        sum.add(&q("500m"));
        assert_eq!(sum.canonical(), "1500m");
        // Zero takes the other's format.
        let mut sum = Quantity::zero();
        sum.add(&q("1Ki"));
        sum.add(&q("1Ki"));
        assert_eq!(sum.canonical(), "2Ki");
        let mut sum = q("1000");
        sum.add(&q("24"));
        assert_eq!(sum.canonical(), "1024");
        assert!(q("1Gi") > q("1G"));
        assert!(q("100m") < q("1"));
    }

    #[test]
    fn values_round_up_and_shares_truncate_as_go_does() {
        assert_eq!(q("100m").milli_value(), 100);
        assert_eq!(q("1n").milli_value(), 1);
        assert_eq!(q("1.5").value(), 2);
        assert_eq!(q("32Gi").value(), 34_359_738_368);
        assert_eq!(Quantity::zero().milli_value(), 0);
        assert_eq!(percent(100, 8000), 1);
        assert_eq!(percent(199, 100), 199);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(0, 0), i64::MIN);
        assert_eq!(percent(5, 0), i64::MIN);
        assert_eq!(q("256Mi").as_f64(), 268_435_456.0);
    }
}
