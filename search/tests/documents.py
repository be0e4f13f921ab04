"""A small made-up council for testing relevance mechanics (not the demo content)."""

from search.registry import SearchDocument


def doc(doc_id, kind, title, url, **fields):
    return SearchDocument(
        id=doc_id, kind=kind, locale=fields.pop("locale", "en-gb"), title=title, url=url, **fields
    )


def council():
    return [
        doc(
            "journey:1",
            "journey",
            "Report a missed bin collection",
            "/bins/missed-bin/",
            summary="Tell us if your household waste or recycling was not collected.",
            questions=["My bins weren't emptied", "The bin lorry didn't come"],
            personas=["report-and-transact"],
            topics=["bins-and-recycling"],
            delivery_unit="street-scene",
        ),
        doc(
            "page:2",
            "page",
            "Bin collection days",
            "/bins/collection-days/",
            summary="Find out which day your bin is collected.",
            body="Collections happen weekly. Put your bin out by 7am.",
            topics=["bins-and-recycling"],
            delivery_unit="street-scene",
        ),
        doc(
            "form:3",
            "form",
            "Report a pothole",
            "/forms/report-a-pothole/",
            summary="Tell us about a pothole or damaged road surface.",
            questions=["There is a hole in the road"],
            personas=["report-and-transact"],
            topics=["roads"],
            delivery_unit="street-scene",
        ),
        doc(
            "journey:4",
            "journey",
            "Apply for a Blue Badge",
            "/parking/blue-badge/",
            summary="A Blue Badge helps you park closer to where you need to go if you have a disability.",
            questions=["Can I get a parking permit for my disability?"],
            personas=["cusp-of-care"],
            topics=["parking"],
            delivery_unit="parking",
        ),
        doc(
            "page:5",
            "page",
            "Council tax bands",
            "/council-tax/bands/",
            summary="How your council tax band is worked out.",
            body="Your property is placed in a band from A to H. <script>alert(1)</script> Pay online.",
            personas=["tenants"],
            topics=["council-tax"],
            delivery_unit="revenues-and-benefits",
        ),
        doc(
            "journey:6",
            "journey",
            "Pay your council tax",
            "/council-tax/pay-council-tax/",
            summary="Pay council tax online, by direct debit or by phone.",
            questions=["How do I pay my council tax?"],
            personas=["tenants", "report-and-transact"],
            topics=["council-tax"],
            delivery_unit="revenues-and-benefits",
        ),
        doc(
            "service:7",
            "service",
            "Northbrook Food Bank",
            "/directory/services/northbrook-food-bank/",
            summary="Emergency food parcels for people in crisis.",
            topics=["food"],
            location=(51.5000, -0.1000),
        ),
        doc(
            "service:8",
            "service",
            "Riverside Food Bank",
            "/directory/services/riverside-food-bank/",
            summary="Food parcels and advice every Tuesday.",
            topics=["food"],
            location=(51.5400, -0.1000),
        ),
        doc(
            "service:9",
            "service",
            "Far Away Food Bank",
            "/directory/services/far-away-food-bank/",
            summary="Food parcels in another town.",
            topics=["food"],
            location=(52.5000, -0.1000),
        ),
        doc(
            "page:10",
            "page",
            "Zgłoś nieodebrane śmieci",
            "/pl/bins/missed-bin/",
            locale="pl",
            summary="Powiedz nam, jeśli śmieci nie zostały odebrane.",
        ),
    ]


def many_pages(n, kind="page"):
    return [
        doc(
            f"{kind}:{1000 + i}",
            kind,
            f"Housing advice sheet {i}",
            f"/housing/sheet-{i}/",
            summary="Advice about housing and tenancy.",
        )
        for i in range(n)
    ]
