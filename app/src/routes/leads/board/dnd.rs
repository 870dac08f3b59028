//! The browser side of dragging: what lies under the pointer, scrolling the board while a
//! card is dragged near its edges, and keeping keyboard focus on a card that moved.

use super::state::DropTarget;
use wasm_bindgen::JsCast;
use web_sys::Element;

fn document() -> web_sys::Document {
    leptos::prelude::document()
}

fn closest(element: &Element, selector: &str) -> Option<Element> {
    element.closest(selector).ok().flatten()
}

/// Whether a key event comes from a control inside the card (its link and menu button).
pub fn on_control(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|e| closest(&e, "button, a, input, select, textarea").is_some())
}

/// Whether a press lands on a button inside the card. The lead's name is a link, yet a card
/// can be dragged by it: a press that does not move becomes the link's click.
pub fn on_button(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|e| closest(&e, "button, input, select, textarea").is_some())
}

/// Whether an event started on a card's grip (touch drags start only there, so a finger can
/// still scroll the board).
pub fn on_grip(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|e| closest(&e, ".grip").is_some())
}

/// The drop target under the pointer: a drop zone, or a column and the card the dragged one
/// would go before (by the vertical middle of each card).
pub fn target_at(x: i32, y: i32, dragged: i64) -> Option<DropTarget> {
    let element = document().element_from_point(x as f32, y as f32)?;
    if let Some(zone) = closest(&element, "[data-drop]") {
        return match zone.get_attribute("data-drop").as_deref() {
            Some("lost") => Some(DropTarget::Lost),
            Some("junk") => Some(DropTarget::Junk),
            Some("convert") => Some(DropTarget::Convert),
            _ => None,
        };
    }
    let column = closest(&element, "[data-stage]")?;
    let stage: i64 = column.get_attribute("data-stage")?.parse().ok()?;
    let cards = column.query_selector_all("[data-card]").ok()?;
    let mut before = None;
    for i in 0..cards.length() {
        let Some(card) = cards.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        let id: i64 = card
            .get_attribute("data-card")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if id == dragged {
            continue;
        }
        let rect = card.get_bounding_client_rect();
        if f64::from(y) < rect.top() + rect.height() / 2.0 {
            before = Some(id);
            break;
        }
    }
    Some(DropTarget::Stage { stage, before })
}

/// Scrolls the board sideways, and the page up or down, while the pointer is near an edge.
pub fn auto_scroll(x: i32, y: i32) {
    const EDGE: f64 = 64.0;
    const STEP: i32 = 18;
    if let Some(board) = document().query_selector(".board-columns").ok().flatten() {
        let rect = board.get_bounding_client_rect();
        let x = f64::from(x);
        if x > rect.right() - EDGE {
            board.set_scroll_left(board.scroll_left() + STEP);
        } else if x < rect.left() + EDGE {
            board.set_scroll_left(board.scroll_left() - STEP);
        }
    }
    let window = leptos::prelude::window();
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let y = f64::from(y);
    if y > height - EDGE {
        window.scroll_by_with_x_and_y(0.0, f64::from(STEP));
    } else if y < EDGE {
        window.scroll_by_with_x_and_y(0.0, -f64::from(STEP));
    }
}

fn card_element(lead: i64) -> Option<web_sys::HtmlElement> {
    document()
        .query_selector(&format!("[data-card=\"{lead}\"]"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

pub fn card_has_focus(lead: i64) -> bool {
    let active = document().active_element();
    match (active, card_element(lead)) {
        (Some(active), Some(card)) => active == *card.unchecked_ref::<Element>(),
        _ => false,
    }
}

/// Focuses a card once the DOM shows it in its new place.
pub fn focus_card_soon(lead: i64) {
    leptos::prelude::request_animation_frame(move || {
        if let Some(card) = card_element(lead) {
            let _ = card.focus();
        }
    });
}
