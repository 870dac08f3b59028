//! Staff users: who can sign in, with which role and language.

use crate::components::feedback::{action_error, ErrorBanner, FieldError};
use crate::functions::{list_users, CreateUser, UpdateUserAccess};
use crate::i18n::Locale;
use crate::models::{Role, StaffUser};
use crate::use_locale;
use leptos::prelude::*;

#[component]
pub fn UsersPage() -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let create = ServerAction::<CreateUser>::new();
    let access = ServerAction::<UpdateUserAccess>::new();
    let create_error = action_error(create);
    let access_error = action_error(access);
    let users = Resource::new(
        move || (create.version().get(), access.version().get()),
        |_| list_users(),
    );
    // An added user clears the form for the next one.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let (Some(Ok(())), Some(form)) = (create.value().get(), form.get()) {
            form.reset();
        }
    });
    view! {
        <section class="card">
            <div class="card-header">
                <h2>{t.users}</h2>
            </div>
            <ErrorBanner error=access_error />
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    let users = users.await.unwrap_or_default();
                    view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead>
                                    <tr>
                                        <th scope="col">{t.name}</th>
                                        <th scope="col">{t.role}</th>
                                        <th scope="col" class="num">{t.leads}</th>
                                        <th scope="col">{t.active}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {users.into_iter().map(|user| view! { <UserRow user access /> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                })}
            </Transition>
        </section>
        <section class="card">
            <div class="card-header">
                <h2>{t.new_user}</h2>
            </div>
            <ErrorBanner error=create_error />
            <ActionForm action=create node_ref=form attr:class="form-grid" attr:novalidate=true>
                <label class="field">
                    <span>{t.name}</span>
                    <input type="text" name="name" required maxlength="255" />
                    <FieldError error=create_error field="name" />
                </label>
                <label class="field">
                    <span>{t.email}</span>
                    <input type="email" name="email" required />
                    <FieldError error=create_error field="email" />
                </label>
                <label class="field">
                    <span>{t.role}</span>
                    <select name="role">
                        {Role::ALL.into_iter().rev().map(|role| view! { <option value=role.as_str()>{role.label(locale)}</option> }).collect_view()}
                    </select>
                    <FieldError error=create_error field="role" />
                </label>
                <label class="field">
                    <span>{t.language}</span>
                    <select name="language">
                        {Locale::ALL.into_iter().map(|l| view! { <option value=l.code() selected=l == locale>{l.native_name()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{t.password}</span>
                    <input type="password" name="password" required minlength="10" autocomplete="new-password" placeholder=t.password_hint />
                    <FieldError error=create_error field="password" />
                </label>
                <div class="field field-actions">
                    <button type="submit" class="btn btn-primary">{t.add}</button>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn UserRow(user: StaffUser, access: ServerAction<UpdateUserAccess>) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let id = user.id;
    let active = user.active;
    let role = user.role;
    let change_role = move |ev: leptos::ev::Event| {
        if let Some(role) = Role::parse(&event_target_value(&ev)) {
            access.dispatch(UpdateUserAccess { id, role, active });
        }
    };
    view! {
        <tr class:inactive={!active}>
            <td>
                <span class="strong">{user.name.clone()}</span>
                <span class="sub">{user.email.clone()}</span>
            </td>
            <td>
                <select on:change=change_role aria-label=format!("{} {}", t.role, user.name)>
                    {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str() selected=r == role>{r.label(locale)}</option> }).collect_view()}
                </select>
            </td>
            <td class="num">{user.assigned_leads}</td>
            <td>
                <button type="button" class="btn btn-ghost btn-sm"
                    on:click=move |_| { access.dispatch(UpdateUserAccess { id, role, active: !active }); }>
                    {if active { t.deactivate } else { t.activate }}
                </button>
                <span class=if active { "tag tag-ok" } else { "tag tag-muted" }>{if active { t.active } else { t.inactive }}</span>
            </td>
        </tr>
    }
}
