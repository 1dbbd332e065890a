"""Drives the provider sandbox's HubSpot CRM API with HubSpot's official Python library
(hubspot-api-client), unchanged, through the paths the hub's connector uses, and prints a JSON
summary for HubSpotOfficialClientTests.

Argument: the sandbox's port (HubSpot is mounted at /hubspot); the token is the sandbox's seeded
one (HubSpotProvider.seededToken).
Exit codes: 0 done (the summary says what was seen), 3 the `hubspot-api-client` package is not installed.
"""

import json
import sys
import uuid

try:
    import hubspot
    from hubspot.crm.contacts import (
        ApiException,
        BatchInputSimplePublicObjectBatchInputForCreate,
        Filter,
        FilterGroup,
        PublicObjectSearchRequest,
        SimplePublicObjectBatchInputForCreate,
    )
    from hubspot.crm.associations.v4 import (
        AssociationSpec,
        BatchInputPublicAssociationMultiArchive,
        BatchInputPublicAssociationMultiPost,
        BatchInputPublicDefaultAssociationMultiPost,
        PublicAssociationMultiArchive,
        PublicAssociationMultiPost,
        PublicDefaultAssociationMultiPost,
        PublicObjectId,
    )
except ImportError:
    print(json.dumps({"error": "the hubspot-api-client package is not installed: python3 -m pip install hubspot-api-client"}))
    sys.exit(3)


def main():
    port = sys.argv[1]
    client = hubspot.Client.create(access_token="hubspot-sandbox-access-token", host="http://127.0.0.1:%s/hubspot" % port)
    contacts = client.crm.contacts
    summary = {}

    # Every contact through get_page, following paging.next.after.
    ids, pages, after = [], 0, None
    while True:
        page = contacts.basic_api.get_page(limit=100, after=after, properties=["email", "firstname"], associations=["companies"])
        pages += 1
        ids += [result.id for result in page.results]
        if pages == 1:
            first = page.results[0]
            summary["first_email"] = first.properties.get("email")
            summary["first_company"] = first.associations["companies"].results[0].id if first.associations else None
        if page.paging is None or page.paging.next is None:
            break
        after = page.paging.next.after
    summary["listed"] = len(ids)
    summary["listed_unique"] = len(set(ids))
    summary["pages"] = pages

    # A search on lastmodifieddate, oldest first.
    request = PublicObjectSearchRequest(
        filter_groups=[FilterGroup(filters=[Filter(property_name="lastmodifieddate", operator="GTE", value="1767225700000")])],
        sorts=["lastmodifieddate"],
        properties=["email", "lastmodifieddate"],
        limit=10,
    )
    found = contacts.search_api.do_search(public_object_search_request=request)
    summary["search_total"] = found.total
    summary["search_first_email"] = found.results[0].properties["email"]
    summary["search_next_after"] = found.paging.next.after if found.paging and found.paging.next else None

    # Two contacts in one batch.
    marker = uuid.uuid4().hex[:8]
    batch = BatchInputSimplePublicObjectBatchInputForCreate(
        inputs=[
            SimplePublicObjectBatchInputForCreate(properties={"email": "a-%s@example.com" % marker, "firstname": "Ada"}),
            SimplePublicObjectBatchInputForCreate(properties={"email": "b-%s@example.com" % marker, "firstname": "Bo"}),
        ]
    )
    created = contacts.batch_api.create(batch_input_simple_public_object_batch_input_for_create=batch)
    summary["batch_status"] = created.status
    summary["batch_created"] = sorted(result.properties["firstname"] for result in created.results)
    fetched = contacts.basic_api.get_by_id(created.results[0].id, properties=["email"])
    summary["fetched_email"] = fetched.properties["email"]

    # The association writes the connector's push makes: default associations in a batch, then
    # one of them archived.
    company = summary["first_company"]
    made = [result.id for result in created.results]
    associations = client.crm.associations.v4.batch_api
    answer = associations.create_default(
        "contacts",
        "companies",
        BatchInputPublicDefaultAssociationMultiPost(
            inputs=[PublicDefaultAssociationMultiPost(_from=PublicObjectId(id=made_id), to=PublicObjectId(id=company)) for made_id in made]
        ),
    )
    summary["associated_status"] = answer.status
    summary["associated_type_ids"] = sorted({result.association_spec.association_type_id for result in answer.results})
    associations.archive(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiArchive(
            inputs=[PublicAssociationMultiArchive(_from=PublicObjectId(id=made[1]), to=[PublicObjectId(id=company)])]
        ),
    )
    summary["associated_after_archive"] = [
        [str(to.to_object_id) for to in client.crm.associations.v4.basic_api.get_page("contacts", made_id, "companies").results] for made_id in made
    ]

    # A primary company, as the push makes one: batch create with the primary type (1), then
    # read back with its labels (v4) and once per label (v3).
    labelled = associations.create(
        "contacts",
        "companies",
        BatchInputPublicAssociationMultiPost(
            inputs=[
                PublicAssociationMultiPost(
                    _from=PublicObjectId(id=made[1]),
                    to=PublicObjectId(id=company),
                    types=[AssociationSpec(association_category="HUBSPOT_DEFINED", association_type_id=1)],
                )
            ]
        ),
    )
    summary["primary_status"] = labelled.status
    summary["primary_labels"] = [result.labels for result in labelled.results]
    summary["primary_type_ids"] = sorted(
        kind.type_id
        for to in client.crm.associations.v4.basic_api.get_page("contacts", made[1], "companies").results
        for kind in to.association_types
    )
    primary_read = contacts.basic_api.get_by_id(made[1], associations=["companies"])
    summary["primary_v3_types"] = [result.type for result in primary_read.associations["companies"].results]

    # Errors: an unknown id, and a search past HubSpot's 10,000-result ceiling.
    try:
        contacts.basic_api.get_by_id("999")
        summary["missing_raised"] = None
    except ApiException as error:
        body = json.loads(error.body)
        summary["missing_raised"] = type(error).__name__
        summary["missing_status"] = error.status
        summary["missing_category"] = body.get("category")
        summary["missing_has_correlation"] = bool(body.get("correlationId"))
    try:
        contacts.search_api.do_search(public_object_search_request=PublicObjectSearchRequest(limit=10, after="10000"))
        summary["ceiling_status"] = 200
    except ApiException as error:
        summary["ceiling_status"] = error.status
        summary["ceiling_category"] = json.loads(error.body).get("category")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
