//! The first screen of `qari URL` while the page downloads: what is fetched, how much
//! has arrived (of how much, when the server said), a bar, and the key that stops it.
//! Only reads [`Download`].

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};

use super::{UiContext, draw_text};
use crate::app::Download;
use crate::layout::{BaseDirection, LayoutOptions};

/// Draws the download screen in the reading pane's `area`, its lines centred vertically.
pub(super) fn draw(download: &Download, ui: &UiContext, area: Rect, buf: &mut Buffer) {
    if area.width < 4 || area.height == 0 {
        return;
    }
    let options = LayoutOptions {
        base: BaseDirection::Ltr,
        ..LayoutOptions::default()
    };
    let mut lines: Vec<(String, Style)> = vec![
        (
            format!("Downloading {}", download.url),
            Style::default().add_modifier(Modifier::BOLD),
        ),
        (amount(download.received, download.total), Style::default()),
    ];
    if let Some(bar) = bar(download.received, download.total, area.width - 2) {
        lines.push((bar, Style::default().fg(ui.colors.cursor)));
    }
    if let Some(key) = &ui.quit_key {
        lines.push((format!("{key} stops"), Style::default()));
    }
    let top = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    for (i, (text, style)) in lines.iter().enumerate() {
        let y = top + i as u16;
        if y >= area.bottom() {
            break;
        }
        draw_text(buf, area.x + 1, y, area.width - 2, text, &options, *style);
    }
}

/// "12.5 kB of 40.0 kB (31%)", or "12.5 kB so far" when the total is unknown.
pub fn amount(received: u64, total: Option<u64>) -> String {
    match total {
        Some(total) if total > 0 => format!(
            "{} of {} ({}%)",
            size(received),
            size(total),
            (received.min(total) * 100 / total)
        ),
        _ => format!("{} so far", size(received)),
    }
}

/// A bar `width` cells wide, filled in proportion; none when the total is unknown.
fn bar(received: u64, total: Option<u64>, width: u16) -> Option<String> {
    let total = total.filter(|&t| t > 0)?;
    let cells = u64::from(width.min(60));
    let filled = (received.min(total) * cells / total) as usize;
    Some(format!(
        "{}{}",
        "█".repeat(filled),
        "░".repeat(cells as usize - filled)
    ))
}

/// Bytes in the decimal units a download shows.
fn size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_with_and_without_a_total() {
        assert_eq!(amount(0, None), "0 bytes so far");
        assert_eq!(amount(12_500, Some(40_000)), "12.5 kB of 40.0 kB (31%)");
        assert_eq!(amount(2_500_000, Some(0)), "2.5 MB so far");
        assert_eq!(bar(1, Some(4), 8).as_deref(), Some("██░░░░░░"));
        assert_eq!(bar(1, None, 8), None);
    }
}
