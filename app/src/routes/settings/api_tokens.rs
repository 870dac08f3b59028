//! `/admin/api/api_management`: REST API tokens — create one for a staff user with chosen
//! permissions and an optional expiry (its secret shown once, with a copy button), see when
//! each was last used, revoke.

use crate::components::copy::CopyInput;
use crate::components::feedback::{action_error, ErrorBanner, FieldError};
use crate::functions::{list_api_tokens, list_users, CreateApiToken, RevokeApiToken};
use crate::i18n::fill;
use crate::models::{ApiToken, StaffUser, TokenForm, CAPABILITIES};
use crate::use_locale;
use leptos::prelude::*;

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let t = use_locale().t();
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let create_error = action_error(create);
    let revoke_error = action_error(revoke);
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_tokens(),
    );
    let created = move || create.value().get().and_then(Result::ok);
    view! {
        <section class="card">
            <div class="card-header">
                <h2>{t.new_api_token}</h2>
            </div>
            <p class="muted pad help">{t.api_token_help}</p>
            <ErrorBanner error=create_error />
            <NewTokenForm create error=create_error />
            {move || created().map(|created| view! { <TokenOnce token=created.token /> })}
        </section>
        <section class="card">
            <div class="card-header">
                <h2>{t.api_tokens}</h2>
            </div>
            <ErrorBanner error=revoke_error />
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let tokens = tokens.await.unwrap_or_default();
                    if tokens.is_empty() {
                        return view! { <p class="muted pad">{t.no_api_tokens}</p> }.into_any();
                    }
                    view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t.name}</th>
                                        <th scope="col">{t.acts_as}</th>
                                        <th scope="col">{t.permissions}</th>
                                        <th scope="col">{t.expires}</th>
                                        <th scope="col">{t.last_used}</th>
                                        <th scope="col"><span class="sr-only">{t.revoke}</span></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {tokens.into_iter().map(|token| view! { <TokenRow token revoke /> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NewTokenForm(
    create: ServerAction<CreateApiToken>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let t = use_locale().t();
    let name = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let expires = RwSignal::new(String::new());
    let chosen = RwSignal::new(
        CAPABILITIES
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>(),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateApiToken {
            form: TokenForm {
                name: name.get_untracked(),
                user: user.get_untracked(),
                expires_days: expires.get_untracked(),
                capabilities: chosen.get_untracked(),
            },
        });
    };
    // A created token clears the form for the next one.
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            name.set(String::new());
            expires.set(String::new());
        }
    });
    view! {
        <form class="form-grid" on:submit=submit novalidate>
            <label class="field">
                <span>{t.name}</span>
                <input type="text" bind:value=name maxlength="100" placeholder=t.api_token_name_hint />
                <FieldError error field="name" />
            </label>
            <label class="field">
                <span>{t.acts_as}</span>
                <ActsAsSelect user />
                <FieldError error field="user" />
            </label>
            <label class="field">
                <span>{t.expires_in_days}</span>
                <input type="number" min="1" max="3650" bind:value=expires placeholder=t.never />
                <FieldError error field="expires_days" />
            </label>
            <fieldset class="field checks">
                <legend>{t.permissions}</legend>
                {CAPABILITIES
                    .iter()
                    .map(|&capability| {
                        let checked = move || chosen.get().iter().any(|c| c == capability);
                        let toggle = move |_| {
                            chosen.update(|list| {
                                if let Some(i) = list.iter().position(|c| c == capability) {
                                    list.remove(i);
                                } else {
                                    list.push(capability.to_string());
                                }
                            })
                        };
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=checked on:change=toggle />
                                <code>{capability}</code>
                            </label>
                        }
                    })
                    .collect_view()}
                <FieldError error field="capabilities" />
            </fieldset>
            <div class="field field-actions">
                <button type="submit" class="btn btn-primary">{t.create_token}</button>
            </div>
        </form>
    }
}

/// The staff user a new token acts as. Its options are read in the browser once the page is
/// live: options streamed into a `<select>` from the server (a suspense around or inside it)
/// hydrated wrongly now and then in Chromium — the page stayed dead.
#[component]
fn ActsAsSelect(user: RwSignal<String>) -> impl IntoView {
    let users = RwSignal::new(None::<Vec<StaffUser>>);
    // Effects run in the browser only, after hydration.
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            users.set(Some(list_users().await.unwrap_or_default()));
        });
    });
    let options = move || {
        users
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|u| u.active)
            .map(|u| view! { <option value=u.id.to_string()>{format!("{} <{}>", u.name, u.email)}</option> })
            .collect_view()
    };
    view! {
        <select bind:value=user disabled=move || users.with(Option::is_none)>
            <option value="">"—"</option>
            {options}
        </select>
    }
}

/// The new token's secret, shown this once, with a copy button.
#[component]
fn TokenOnce(token: String) -> impl IntoView {
    let t = use_locale().t();
    view! {
        <div class="token-once" role="status">
            <p><strong>{t.token_shown_once}</strong></p>
            <CopyInput value=token label=t.api_token />
        </div>
    }
}

#[component]
fn TokenRow(token: ApiToken, revoke: ServerAction<RevokeApiToken>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let id = token.id;
    let state = if token.revoked_at.is_some() {
        Some(t.revoked)
    } else if token.expired {
        Some(t.expired)
    } else {
        None
    };
    let question = fill(t.confirm_revoke, &[("name", &token.name)]);
    let ask = move |_| {
        if window().confirm_with_message(&question).unwrap_or(false) {
            revoke.dispatch(RevokeApiToken { id });
        }
    };
    view! {
        <tr class:inactive=state.is_some()>
            <td>
                <span class="strong">{token.name.clone()}</span>
                <span class="sub">{format!("{} {}", t.created, locale.date(token.created_at))}</span>
            </td>
            <td>{token.user_name.clone()}</td>
            <td>
                {token.capabilities.iter().map(|c| view! { <code class="tag">{c.clone()}</code> " " }).collect_view()}
            </td>
            <td>
                {match (state, token.expires_at) {
                    (Some(state), _) => view! { <span class="badge">{state}</span> }.into_any(),
                    (None, Some(at)) => locale.date(at).into_any(),
                    (None, None) => t.never.into_any(),
                }}
            </td>
            <td>{token.last_used_at.map_or_else(|| "—".to_string(), |at| locale.date_time(at))}</td>
            <td class="row-actions">
                {(token.revoked_at.is_none()).then(|| view! {
                    <button type="button" class="btn btn-ghost btn-sm danger" on:click=ask
                        aria-label=format!("{} {}", t.revoke, token.name)>{t.revoke}</button>
                })}
            </td>
        </tr>
    }
}
