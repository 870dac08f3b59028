//! The lead page's files: drop files on the card (or choose them), see each upload's progress
//! or why it failed, download and delete. Files over the server's limit are refused before
//! anything is sent, with the same message the server would give.

use crate::components::feedback::{action_error, error_message, ErrorBanner};
use crate::components::upload::{post_multipart, Part};
use crate::error::AppError;
use crate::functions::{list_attachments, DeleteAttachment};
use crate::i18n::{fill, Locale};
use crate::models::{human_size, too_large_message, type_label, Attachment};
use crate::use_locale;
use leptos::prelude::*;

/// One upload as the card shows it while it runs, or after it failed.
#[derive(Clone, PartialEq)]
struct Upload {
    id: u32,
    name: String,
    failed: Option<AppError>,
}

#[component]
pub fn AttachmentsCard(lead: i64) -> impl IntoView {
    let locale = use_locale();
    let t = locale.t();
    let remove = ServerAction::<DeleteAttachment>::new();
    let uploaded = RwSignal::new(0_u32);
    let data = Resource::new(
        move || (lead, remove.version().get(), uploaded.get()),
        |(lead, _, _)| list_attachments(lead),
    );
    // Uploads in progress or failed live outside the list, so re-reading it keeps them.
    let uploads = RwSignal::new(Vec::<Upload>::new());
    view! {
        <section class="card attachments" aria-labelledby="attachments-title">
            <div class="card-header"><h2 id="attachments-title">{t.attachments}</h2></div>
            <Transition fallback=move || view! { <p class="muted pad">{t.loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! {
                            <DropZone lead max_bytes=data.max_bytes uploads uploaded locale />
                            <UploadList uploads locale />
                            <ErrorBanner error=action_error(remove) />
                            <FileList files=data.attachments remove locale />
                        }.into_any(),
                        Err(error) => view! {
                            <p class="alert alert-error">{error_message(&error)}</p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Where files are dropped, or chosen with the (visually hidden) file input.
#[component]
fn DropZone(
    lead: i64,
    max_bytes: u64,
    uploads: RwSignal<Vec<Upload>>,
    uploaded: RwSignal<u32>,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    let over = RwSignal::new(false);
    let send = move |files: Vec<web_sys::File>| {
        for file in files {
            start_upload(lead, file, max_bytes, uploads, uploaded, locale);
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        if let Some(list) = ev.data_transfer().and_then(|dt| dt.files()) {
            send(files_of(&list));
        }
    };
    let on_pick = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(list) = input.files() {
            send(files_of(&list));
        }
        // The same file can be chosen again after a failure.
        input.set_value("");
    };
    view! {
        <label class="dropzone" class:over=move || over.get()
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); over.set(true); }
            on:dragleave=move |_| over.set(false)
            on:drop=on_drop>
            <input type="file" multiple=true class="sr-only" aria-label=t.choose_files on:change=on_pick />
            <span>{t.drop_files}" "<span class="link">{t.choose_files}</span></span>
            <span class="sub">{fill(t.max_file_size, &[("max", &human_size(max_bytes))])}</span>
        </label>
    }
}

fn files_of(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Uploads one file (refused here when over the limit); a success re-reads the list, a failure
/// stays on the card with its reason until dismissed.
fn start_upload(
    lead: i64,
    file: web_sys::File,
    max_bytes: u64,
    uploads: RwSignal<Vec<Upload>>,
    uploaded: RwSignal<u32>,
    locale: Locale,
) {
    let name = file.name();
    let id = uploads.with_untracked(|list| list.iter().map(|u| u.id).max().unwrap_or(0) + 1);
    let too_large = file.size() > max_bytes as f64;
    uploads.update(|list| {
        list.push(Upload {
            id,
            name: name.clone(),
            failed: too_large
                .then(|| AppError::field("file", too_large_message(&name, max_bytes, locale))),
        })
    });
    if too_large {
        return;
    }
    leptos::task::spawn_local(async move {
        match post_file(lead, &file).await {
            Ok(()) => {
                uploads.update(|list| list.retain(|u| u.id != id));
                uploaded.update(|n| *n += 1);
            }
            Err(error) => uploads.update(|list| {
                if let Some(upload) = list.iter_mut().find(|u| u.id == id) {
                    upload.failed = Some(error);
                }
            }),
        }
    });
}

/// `POST /admin/leads/{id}/attachments` with the file as multipart form data.
async fn post_file(lead: i64, file: &web_sys::File) -> Result<(), AppError> {
    let url = format!("/admin/leads/{lead}/attachments");
    post_multipart::<serde::de::IgnoredAny>(&url, &[("file", Part::File(file))])
        .await
        .map(drop)
}

#[component]
fn UploadList(uploads: RwSignal<Vec<Upload>>, locale: Locale) -> impl IntoView {
    let t = locale.t();
    view! {
        <ul class="upload-list" aria-live="polite">
            <For each=move || uploads.get() key=|upload| (upload.id, upload.failed.is_some()) let:upload>
                {
                    let id = upload.id;
                    match upload.failed {
                        None => view! {
                            <li class="upload"><span class="spinner" aria-hidden="true"></span>
                                {fill(t.uploading, &[("name", &upload.name)])}</li>
                        }.into_any(),
                        Some(reason) => view! {
                            <li class="upload upload-failed" role="alert">
                                <span>{fill(t.upload_failed, &[("name", &upload.name), ("reason", &error_message(&reason))])}</span>
                                <button type="button" class="btn btn-ghost btn-sm" aria-label=t.dismiss
                                    on:click=move |_| uploads.update(|list| list.retain(|u| u.id != id))>"×"</button>
                            </li>
                        }.into_any(),
                    }
                }
            </For>
        </ul>
    }
}

#[component]
fn FileList(
    files: Vec<Attachment>,
    remove: ServerAction<DeleteAttachment>,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    if files.is_empty() {
        return view! { <p class="muted pad">{t.no_attachments}</p> }.into_any();
    }
    view! {
        <ul class="file-list">
            {files.into_iter().map(|file| view! { <FileRow file remove locale /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn FileRow(
    file: Attachment,
    remove: ServerAction<DeleteAttachment>,
    locale: Locale,
) -> impl IntoView {
    let t = locale.t();
    let id = file.id;
    let kind = type_label(&file.file_name, &file.content_type);
    let size = human_size(u64::try_from(file.size_bytes).unwrap_or(0));
    let meta = match &file.uploaded_by_name {
        Some(by) => format!("{size} · {} · {by}", locale.date_time(file.created_at)),
        None => format!("{size} · {}", locale.date_time(file.created_at)),
    };
    let confirm = fill(t.delete_attachment_confirm, &[("name", &file.file_name)]);
    let on_delete = move |_| {
        let sure = web_sys::window()
            .and_then(|w| w.confirm_with_message(&confirm).ok())
            .unwrap_or(false);
        if sure {
            remove.dispatch(DeleteAttachment { id });
        }
    };
    view! {
        <li class="file">
            <span class="file-type" title=file.content_type.clone()>{kind}</span>
            <div class="file-main">
                <a href=file.download_url() download=file.file_name.clone() rel="external"
                    aria-label=fill(t.download_file, &[("name", &file.file_name)])>{file.file_name.clone()}</a>
                <span class="sub">{meta}</span>
            </div>
            {file.deletable.then(|| view! {
                <button type="button" class="btn btn-ghost btn-sm danger" on:click=on_delete
                    aria-label=fill(t.delete_file, &[("name", &file.file_name)])>{t.delete}</button>
            })}
        </li>
    }
}
