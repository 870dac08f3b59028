//! `/admin/settings/*`: the lists every lead refers to, and the staff. Administrators only.

pub mod api_tokens;
pub mod custom_fields;
pub mod email;
pub mod leads;
pub mod lists;
pub mod pipelines;
pub mod users;

use crate::functions::me;
use crate::use_locale;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::{Outlet, A};

#[component]
pub fn SettingsLayout() -> impl IntoView {
    let t = use_locale().t();
    let user = OnceResource::new(me());
    view! {
        <Title text=t.settings />
        <header class="page-header">
            <h1>{t.settings}</h1>
        </header>
        <nav class="tabs" aria-label=t.settings>
            <A href="/admin/settings/pipelines" attr:class="tab">{t.pipelines}</A>
            <A href="/admin/settings/sources" attr:class="tab">{t.sources}</A>
            <A href="/admin/settings/lost-reasons" attr:class="tab">{t.lost_reasons}</A>
            <A href="/admin/settings/users" attr:class="tab">{t.users}</A>
            <A href="/admin/settings/leads" attr:class="tab">{t.lead_settings}</A>
            <A href="/admin/api/api_management" attr:class="tab">{t.api}</A>
        </nav>
        <Transition>
            {move || Suspend::new(async move {
                if matches!(user.await, Ok(Some(user)) if user.is_admin()) {
                    view! { <Outlet /> }.into_any()
                } else {
                    view! { <p class="alert alert-error">{t.admin_only}</p> }.into_any()
                }
            })}
        </Transition>
    }
}
