//! The admin frame: sidebar navigation, the signed-in user, language and sign-out.

use super::icons::Icon;
use crate::functions::me;
use crate::i18n::Locale;
use crate::models::CurrentUser;
use crate::use_locale;
use leptos::prelude::*;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_location;

#[component]
pub fn AdminShell() -> impl IntoView {
    let t = use_locale().t();
    let user = OnceResource::new(me());
    let location = use_location();
    let today = move || location.pathname.get() == "/admin/leads/today";
    let leads = move || {
        let path = location.pathname.get();
        path.starts_with("/admin/leads") && !today() && path != "/admin/leads/forms"
    };
    view! {
        <div class="app">
            <aside class="sidebar">
                <div class="sidebar-top">
                    <a class="brand" href="/admin/leads">
                        <span class="brand-mark">"L"</span>
                        <span class="brand-name">{t.app_name}</span>
                    </a>
                    <super::bell::Bell />
                </div>
                <nav class="nav" aria-label="Main">
                    <a href="/admin/leads/today" class="nav-link" aria-current=move || today().then_some("page")>
                        <Icon name="today" />
                        <span>{t.today}</span>
                    </a>
                    <a href="/admin/leads" class="nav-link" aria-current=move || leads().then_some("page")>
                        <Icon name="leads" />
                        <span>{t.leads}</span>
                    </a>
                    <A href="/admin/clients" attr:class="nav-link">
                        <Icon name="clients" />
                        <span>{t.clients}</span>
                    </A>
                    <A href="/admin/opportunities" attr:class="nav-link">
                        <Icon name="deals" />
                        <span>{t.opportunities}</span>
                    </A>
                    <Transition>
                        {move || Suspend::new(async move {
                            let admin = matches!(user.await, Ok(Some(user)) if user.is_admin());
                            admin.then(|| view! {
                                <A href="/admin/leads/forms" attr:class="nav-link">
                                    <Icon name="form" />
                                    <span>{t.web_forms}</span>
                                </A>
                                <A href="/admin/settings" attr:class="nav-link">
                                    <Icon name="settings" />
                                    <span>{t.settings}</span>
                                </A>
                            })
                        })}
                    </Transition>
                </nav>
                <Transition>
                    {move || Suspend::new(async move {
                        user.await.ok().flatten().map(|user| view! { <UserCard user /> })
                    })}
                </Transition>
            </aside>
            <main class="content" id="main">
                <Outlet />
            </main>
        </div>
    }
}

/// Who is signed in, the language switch and the sign-out button.
#[component]
fn UserCard(user: CurrentUser) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    view! {
        <div class="user-card">
            <span class="avatar" aria-hidden="true">{user.initials()}</span>
            <div class="user-meta">
                <span class="user-name">{user.name.clone()}</span>
                <span class="user-role">{user.role.label(locale)}</span>
            </div>
            <form method="post" action="/admin/language" class="lang-switch" aria-label=t.language>
                {Locale::ALL
                    .into_iter()
                    .map(|option| {
                        view! {
                            <button type="submit" name="language" value=option.code()
                                class="lang" aria-pressed=(option == locale).to_string()
                                title=option.native_name()>
                                {option.code().to_uppercase()}
                            </button>
                        }
                    })
                    .collect_view()}
            </form>
            <form method="post" action="/admin/logout">
                <button type="submit" class="btn btn-ghost sign-out">
                    <Icon name="logout" />
                    <span>{t.sign_out}</span>
                </button>
            </form>
        </div>
    }
}
