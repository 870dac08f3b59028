//! The lead page's privacy card: download everything about the lead as JSON, and (admins)
//! erase its personal data after a confirmation.

use crate::components::dialog::Dialog;
use crate::components::feedback::{action_error, ErrorBanner};
use crate::functions::{me, EraseLead};
use crate::i18n::fill;
use crate::use_locale;
use leptos::prelude::*;

#[component]
pub fn PrivacyCard(lead: i64, name: String, erase: ServerAction<EraseLead>) -> impl IntoView {
    let t = use_locale().t();
    let user = OnceResource::new(me());
    let asking = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(())) = erase.value().get() {
            asking.set(false);
        }
    });
    view! {
        <section class="card" aria-labelledby="privacy-title">
            <div class="card-header"><h2 id="privacy-title">{t.privacy}</h2></div>
            <div class="pad stack">
                <a class="btn btn-secondary" href=format!("/admin/leads/{lead}/export") download=format!("lead-{lead}.json") rel="external">
                    {t.export_data}
                </a>
                <Transition>
                    {move || Suspend::new(async move {
                        let admin = matches!(user.await, Ok(Some(user)) if user.is_admin());
                        admin.then(|| view! {
                            <button type="button" class="btn btn-ghost danger" on:click=move |_| asking.set(true)>
                                {t.erase_data}
                            </button>
                        })
                    })}
                </Transition>
            </div>
            <Show when=move || asking.get()>
                <Dialog title=fill(t.erase_title, &[("name", &name)]) on_close=move || asking.set(false)>
                    <p>{t.erase_intro}</p>
                    <ErrorBanner error=action_error(erase) />
                    <div class="form-actions">
                        <button type="button" class="btn btn-ghost" on:click=move |_| asking.set(false)>{t.cancel}</button>
                        <button type="button" class="btn btn-danger" on:click=move |_| { erase.dispatch(EraseLead { lead }); }>
                            {t.erase}
                        </button>
                    </div>
                </Dialog>
            </Show>
        </section>
    }
}
