#!/usr/bin/env python3
"""The product doc's API calls, made as an outside integration makes them (plain HTTP from
Python's standard library, no Leadline code): header `authtoken`, base URL `/api/`, the six
lead endpoints with form data as Perfex clients send it, and the answers they rely on.

Usage: api_contract.py BASE_URL TOKEN   (exits non-zero on the first broken expectation)
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE, TOKEN = sys.argv[1].rstrip("/") + "/api/", sys.argv[2]


def call(method, path, form=None, json_body=None, token=TOKEN):
    headers = {"authtoken": token} if token else {}
    data = None
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read() or b"null")


def check(condition, what):
    if not condition:
        sys.exit(f"CONTRACT BROKEN: {what}")
    print(f"ok  {what}")


# Add new Lead — POST {{base_url}}leads (form data, as the doc's examples send it)
status, _, body = call("POST", "leads", form={
    "name": "Contract Lead", "email": "contract@example.com", "company": "Contract SRL",
    "phonenumber": "+40 700 000 001", "lead_value": "1500", "tags": "api,contract",
    "is_public": "on", "description": "made by the contract test",
})
check(status == 200 and body["status"] is True and body["message"] == "Lead add successful.",
      "POST leads creates a lead")
lead_id = body["record_id"]
check(isinstance(lead_id, int), "POST leads answers the new record_id")

# One Lead — GET {{base_url}}leads/:id
status, _, row = call("GET", f"leads/{lead_id}")
check(status == 200 and row["id"] == str(lead_id) and row["name"] == "Contract Lead", "GET leads/:id returns the lead")
for column in ["id", "hash", "name", "title", "company", "description", "country", "zip", "city", "state",
               "address", "assigned", "dateadded", "from_form_id", "status", "source", "lastcontact",
               "dateassigned", "last_status_change", "addedfrom", "email", "website", "leadorder",
               "phonenumber", "date_converted", "lost", "junk", "last_lead_status",
               "is_imported_from_email_integration", "email_integration_uid", "is_public",
               "default_language", "client_id", "lead_value", "status_name", "source_name", "color",
               "statusorder", "customfields"]:
    check(column in row, f"a lead row has the Perfex column {column}")
check(row["lead_value"] == "1500.00" and row["is_public"] == "1", "values come as strings, as PHP sends them")

# List all Leads — GET {{base_url}}leads?nr_page=&per_page=
status, headers, rows = call("GET", "leads?nr_page=1&per_page=10")
check(status == 200 and isinstance(rows, list) and any(r["id"] == str(lead_id) for r in rows), "GET leads lists it")
check(int(headers.get("X-Total-Count", "-1")) >= 1, "the list says its total in X-Total-Count")

# Search Lead Information — GET {{base_url}}leads/search/test
status, _, rows = call("GET", "leads/search/contract")
check(status == 200 and [r["id"] for r in rows] == [str(lead_id)], "GET leads/search/:keyword finds it")
status, _, rows = call("GET", "leads/search/%23api")
check(status == 200 and [r["id"] for r in rows] == [str(lead_id)], "#tag searches by tag")

# Update Lead — PUT {{base_url}}leads/:id (only the fields sent change)
status, _, body = call("PUT", f"leads/{lead_id}", form={"city": "Timișoara"})
check(status == 200 and body["message"] == "Lead Update Successful.", "PUT leads/:id updates")
_, _, row = call("GET", f"leads/{lead_id}")
check(row["city"] == "Timișoara" and row["email"] == "contract@example.com" and row["is_public"] == "1",
      "PUT changes only what was sent")
status, _, body = call("PUT", f"leads/{lead_id}", json_body={"email": "not an email"})
check(status == 422 and body["status"] is False and "email" in body["error"], "an invalid field is a 422 with a field map")

# Errors a client handles
status, _, body = call("GET", "leads", token=None)
check(status == 401 and body == {"status": False, "message": "Token is not defined."}, "no token is a 401")
status, _, body = call("GET", "leads/999999999")
check(status == 404 and body["message"] == "No data were found", "an unknown lead is a 404")

# Delete Lead — DELETE {{base_url}}delete/leads/12
status, _, body = call("DELETE", f"delete/leads/{lead_id}")
check(status == 200 and body["message"] == "Lead Delete Successful.", "DELETE delete/leads/:id deletes")
status, _, _ = call("GET", f"leads/{lead_id}")
check(status == 404, "a deleted lead is gone")
print("the API contract holds")
