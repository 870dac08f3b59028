//! Email notifications on `/admin/settings/leads`: whether they are on (SMTP configured when
//! Leadline starts) and through which server, with a test email to check it works.

use crate::components::feedback::{action_error, ErrorBanner};
use crate::functions::{read_email_status, SendTestEmail};
use crate::i18n::fill;
use crate::use_locale;
use leptos::prelude::*;

#[component]
pub fn EmailCard() -> impl IntoView {
    let t = use_locale().t();
    let status = Resource::new(|| (), |_| read_email_status());
    let test = ServerAction::<SendTestEmail>::new();
    let sent = move || {
        test.value()
            .get()
            .and_then(Result::ok)
            .map(|email| fill(t.test_email_sent, &[("email", &email)]))
    };
    view! {
        <section class="card" aria-labelledby="email-title">
            <div class="card-header"><h2 id="email-title">{t.email_notifications}</h2></div>
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let status = status.await.unwrap_or_default();
                    match (status.server, status.from) {
                        (Some(server), Some(from)) => view! {
                            <div class="pad stack">
                                <p>
                                    <span class="tag tag-ok">{t.on}</span>" "
                                    {fill(t.email_on, &[("server", &server), ("from", &from)])}
                                </p>
                                <ErrorBanner error=action_error(test) />
                                <div class="form-actions">
                                    {move || sent().map(|text| view! { <span class="muted" role="status">{text}</span> })}
                                    <button type="button" class="btn btn-secondary" disabled=test.pending()
                                        on:click=move |_| { test.dispatch(SendTestEmail {}); }>
                                        {t.send_test_email}
                                    </button>
                                </div>
                            </div>
                        }.into_any(),
                        _ => view! {
                            <p class="pad muted"><span class="tag tag-muted">{t.off}</span>" "{t.email_off}</p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
