"""The demo borough's directory, as data: places, organisations and services (all fictional).

Phone numbers are from Ofcom's drama range (020 7946 0xxx), emails end in .example, and
postcodes are in the invented NB area (fixtures/directory/demo_postcodes.csv).
"""

# Places: key -> (name, address line 1, postcode, accessibility notes)
PLACES = {
    "town-hall": (
        "Northbrook Town Hall",
        "High Street",
        "NB1 1AA",
        "Step-free entrance\nHearing loop at reception\nAccessible toilet",
    ),
    "central-library": (
        "Northbrook Central Library",
        "2 Library Square",
        "NB1 1LN",
        "Step-free entrance\nLift to all floors\nAccessible toilet",
    ),
    "eastfield-library": (
        "Eastfield Library",
        "41 Eastfield Road",
        "NB2 3BD",
        "Step-free entrance\nAccessible toilet",
    ),
    "westmoor-library": (
        "Westmoor Library",
        "7 Westmoor Parade",
        "NB3 2HT",
        "Ramp at side entrance\nHearing loop",
    ),
    "southgate-library": (
        "Southgate Library",
        "120 Southgate Broadway",
        "NB5 4QR",
        "Step-free entrance",
    ),
    "millbrook-library": (
        "Millbrook Library",
        "Millbrook Green",
        "NB6 2DS",
        "Step-free entrance\nAccessible toilet",
    ),
    "hollowell-library": (
        "Hollowell Library",
        "3 Hollowell Lane",
        "NB7 5JX",
        "Two steps at entrance, portable ramp available",
    ),
    "eastfield-cc": (
        "Eastfield Children\u2019s Centre",
        "Eastfield Road",
        "NB2 5LT",
        "Step-free entrance\nBuggy park\nBaby changing",
    ),
    "westmoor-cc": (
        "Westmoor Children\u2019s Centre",
        "Orchard Way",
        "NB3 6PW",
        "Step-free entrance\nBaby changing",
    ),
    "southgate-cc": (
        "Southgate Children\u2019s Centre",
        "Fernhill Close",
        "NB5 2RA",
        "Step-free entrance\nBuggy park",
    ),
    "millbrook-cc": (
        "Millbrook Children\u2019s Centre",
        "Brook Street",
        "NB6 7GE",
        "Step-free entrance\nBaby changing",
    ),
    "northside-cc": (
        "Northside Children\u2019s Centre",
        "Canal Walk",
        "NB8 3NH",
        "Step-free entrance",
    ),
    "st-marks-hall": (
        "St Mark\u2019s Church Hall",
        "St Mark\u2019s Road",
        "NB4 2WE",
        "Step-free entrance\nAccessible toilet",
    ),
    "eastfield-community": (
        "Eastfield Community Centre",
        "18 Tenter Street",
        "NB2 7QY",
        "Step-free entrance\nAccessible toilet\nHearing loop",
    ),
    "westmoor-community": (
        "Westmoor Community Hub",
        "55 Westmoor Road",
        "NB3 4JN",
        "Step-free entrance",
    ),
    "hollowell-community": (
        "Hollowell Community Centre",
        "Hollowell Estate",
        "NB7 2TB",
        "Step-free entrance\nAccessible toilet",
    ),
    "southgate-youth": ("Southgate Youth Centre", "Park Lane", "NB5 6UX", "Step-free entrance"),
    "northside-youth": (
        "Northside Youth Zone",
        "Canal Walk",
        "NB8 5HA",
        "Step-free entrance\nAccessible toilet",
    ),
    "millbrook-hall": (
        "Millbrook Methodist Hall",
        "Chapel Row",
        "NB6 4NP",
        "Ramp at front entrance",
    ),
    "riverside-centre": (
        "Riverside Centre",
        "1 Riverside Walk",
        "NB9 3SQ",
        "Step-free entrance\nLift\nAccessible toilet",
    ),
    "advice-centre": (
        "Northbrook Advice Centre",
        "64 High Street",
        "NB1 4GD",
        "Step-free entrance\nPrivate interview rooms",
    ),
    "jobs-hub": (
        "Northbrook Works Hub",
        "9 Station Approach",
        "NB4 7LB",
        "Step-free entrance\nLift",
    ),
    "leisure-centre": (
        "Northbrook Leisure Centre",
        "Park Road",
        "NB4 5YF",
        "Step-free entrance\nChanging Places toilet",
    ),
    "gurdwara": ("Guru Nanak Community Kitchen", "22 Queens Road", "NB9 6EZ", "Step-free entrance"),
    "mosque": ("Hollowell Mosque Community Room", "Albion Street", "NB7 8ML", "Step-free entrance"),
    "phone": None,  # services delivered by phone or online have a virtual location
}

# Organisations: key -> (name, provider type, charity number, description)
ORGANISATIONS = {
    "council-asc": (
        "Northbrook Council Adult Social Care",
        "council-team",
        "",
        "The council team that assesses care needs and arranges support for adults and carers.",
    ),
    "council-early-help": (
        "Northbrook Council Early Help",
        "council-team",
        "",
        "Family support workers and children\u2019s centres run by the council.",
    ),
    "council-libraries": (
        "Northbrook Libraries",
        "council-team",
        "",
        "The borough\u2019s six public libraries.",
    ),
    "council-housing": (
        "Northbrook Council Housing Options",
        "council-team",
        "",
        "Advice for anyone who is homeless or at risk of losing their home.",
    ),
    "council-benefits": (
        "Northbrook Council Revenues and Benefits",
        "council-team",
        "",
        "Housing Benefit, Council Tax Support and crisis payments.",
    ),
    "council-send": (
        "Northbrook SEND Service",
        "council-team",
        "",
        "The council\u2019s service for children and young people with special educational needs and disabilities.",
    ),
    "council-youth": (
        "Northbrook Youth Service",
        "council-team",
        "",
        "Youth workers and youth centres across the borough.",
    ),
    "council-adult-learning": (
        "Northbrook Adult Learning",
        "council-team",
        "",
        "Courses for adults, from English to digital skills.",
    ),
    "council-occupational-therapy": (
        "Northbrook Occupational Therapy Team",
        "council-team",
        "",
        "Assessments for equipment and adaptations at home.",
    ),
    "age-friends": (
        "Age Friends Northbrook",
        "registered-charity",
        "1100001",
        "Local charity supporting older people to live well and stay connected.",
    ),
    "northbrook-foodbank": (
        "Northbrook Foodbank",
        "foodbank",
        "1100002",
        "Emergency food for people in crisis, with three distribution centres.",
    ),
    "citizens-advice": (
        "Citizens Advice Northbrook",
        "registered-charity",
        "1100003",
        "Free, confidential advice on money, debt, benefits, housing and work.",
    ),
    "carers-hub": (
        "Northbrook Carers Hub",
        "registered-charity",
        "1100004",
        "Support, breaks and advice for unpaid carers of all ages.",
    ),
    "memory-lane": (
        "Memory Lane Dementia Support",
        "registered-charity",
        "1100005",
        "Caf\u00e9s, activities and advice for people living with dementia and their families.",
    ),
    "safe-homes": (
        "Safe Homes Northbrook",
        "registered-charity",
        "1100006",
        "Support for anyone affected by domestic abuse.",
    ),
    "brookside-credit-union": (
        "Brookside Credit Union",
        "credit-union",
        "",
        "A savings and loans co-operative for people who live or work in Northbrook.",
    ),
    "care-and-repair": (
        "Northbrook Care and Repair",
        "social-enterprise",
        "",
        "Handyperson and home repairs for older and disabled residents.",
    ),
    "community-wheels": (
        "Community Wheels Northbrook",
        "registered-charity",
        "1100007",
        "Door-to-door minibus and volunteer car schemes.",
    ),
    "mind-northbrook": (
        "Northbrook Mind",
        "registered-charity",
        "1100008",
        "Mental health support, peer groups and wellbeing courses.",
    ),
    "talking-well": (
        "Talking Well Northbrook",
        "nhs",
        "",
        "Free NHS talking therapies for adults.",
    ),
    "hot-meals": (
        "Hearty Meals Community Interest Company",
        "social-enterprise",
        "",
        "Hot and frozen meals delivered to people\u2019s homes.",
    ),
    "parent-voice": (
        "Northbrook Parent Voice",
        "registered-charity",
        "1100009",
        "A forum and support network for parents of children with SEND.",
    ),
    "young-futures": (
        "Young Futures Trust",
        "registered-charity",
        "1100010",
        "Youth clubs, mentoring and holiday activities.",
    ),
    "work-ready": (
        "Work Ready Northbrook",
        "social-enterprise",
        "",
        "Help into work for people who have been out of work for a long time.",
    ),
    "tech-buddies": (
        "Tech Buddies",
        "community-group",
        "",
        "Volunteers who help people get online.",
    ),
    "volunteer-centre": (
        "Volunteer Centre Northbrook",
        "registered-charity",
        "1100011",
        "Matching volunteers with local groups.",
    ),
    "homeless-trust": (
        "Northbrook Homeless Trust",
        "registered-charity",
        "1100012",
        "Day centre, advice and move-on support for people sleeping rough.",
    ),
    "brook-housing": (
        "Brook Housing Association",
        "housing-association",
        "",
        "Affordable homes and tenancy support in Northbrook.",
    ),
    "little-steps": (
        "Little Steps Nursery Group",
        "company",
        "",
        "Day nurseries for children aged 6 months to 5 years.",
    ),
    "childminders-network": (
        "Northbrook Childminders Network",
        "community-group",
        "",
        "Registered childminders who work together across the borough.",
    ),
    "st-marks": (
        "St Mark\u2019s Church",
        "faith-group",
        "1100013",
        "Parish church running community activities for all ages.",
    ),
    "millbrook-methodists": (
        "Millbrook Methodist Church",
        "faith-group",
        "1100014",
        "Church running a lunch club and pantry.",
    ),
    "gurdwara-kitchen": (
        "Guru Nanak Community Kitchen",
        "faith-group",
        "1100015",
        "Free hot vegetarian meals for anyone, every day.",
    ),
    "hollowell-mosque": (
        "Hollowell Mosque",
        "faith-group",
        "1100016",
        "Mosque offering a food pantry and advice sessions.",
    ),
    "eastfield-residents": (
        "Eastfield Residents Association",
        "community-group",
        "",
        "Residents\u2019 group running social activities on the Eastfield estate.",
    ),
    "westmoor-good-neighbours": (
        "Westmoor Good Neighbours",
        "community-group",
        "",
        "Neighbours helping older people with shopping, lifts and company.",
    ),
    "hollowell-pantry": (
        "Hollowell Community Pantry",
        "community-group",
        "",
        "A low-cost food pantry run by members.",
    ),
    "stroke-club": (
        "Northbrook Stroke Club",
        "registered-charity",
        "1100017",
        "Social and exercise group for people who have had a stroke.",
    ),
    "sight-support": (
        "Northbrook Sight Support",
        "registered-charity",
        "1100018",
        "Support for people with sight loss.",
    ),
    "deaf-centre": (
        "Northbrook Deaf Centre",
        "registered-charity",
        "1100019",
        "Advice and social groups for Deaf and hard of hearing people.",
    ),
    "young-carers": (
        "Northbrook Young Carers Project",
        "registered-charity",
        "1100020",
        "Support and breaks for children who look after someone.",
    ),
    "dads-matter": (
        "Dads Matter Northbrook",
        "community-group",
        "",
        "Groups and support for fathers.",
    ),
    "home-start": (
        "Home Visits for Families Northbrook",
        "registered-charity",
        "1100021",
        "Volunteers who visit families with young children.",
    ),
    "breastfeeding-network": (
        "Northbrook Feeding Friends",
        "community-group",
        "",
        "Infant feeding support groups.",
    ),
    "football-foundation": (
        "Northbrook Town Football Foundation",
        "registered-charity",
        "1100022",
        "Sport and wellbeing sessions run by the local football club\u2019s charity.",
    ),
    "fresh-start": (
        "Fresh Start Money Mentors",
        "registered-charity",
        "1100023",
        "Money mentoring and budgeting courses.",
    ),
    "energy-advice": (
        "Warm Homes Northbrook",
        "social-enterprise",
        "",
        "Energy advice and help with fuel debt.",
    ),
    "refugee-welcome": (
        "Refugee Welcome Northbrook",
        "registered-charity",
        "1100024",
        "Advice, English classes and social groups for refugees and asylum seekers.",
    ),
    "pride-network": (
        "Northbrook Pride Network",
        "community-group",
        "",
        "Social and support groups for LGBTQ+ people.",
    ),
    "men-in-sheds": (
        "Northbrook Community Shed",
        "community-group",
        "",
        "A workshop where people make, mend and chat.",
    ),
    "walking-for-health": (
        "Northbrook Health Walks",
        "community-group",
        "",
        "Free, short, led walks for people who want to be more active.",
    ),
    "shopmobility": (
        "Northbrook Shopmobility",
        "registered-charity",
        "1100025",
        "Scooter and wheelchair hire in the town centre.",
    ),
    "telecare": (
        "Northbrook Careline",
        "council-team",
        "",
        "Personal alarms and telecare, monitored day and night.",
    ),
    "reablement": (
        "Northbrook Reablement Service",
        "council-team",
        "",
        "Short-term support at home after a hospital stay or illness.",
    ),
    "home-care-co": ("Brookfield Home Care", "company", "", "Registered home care agency."),
    "kind-care": (
        "Kind Care Co-operative",
        "social-enterprise",
        "",
        "Home care owned by its care workers.",
    ),
    "autism-hub": (
        "Northbrook Autism Hub",
        "registered-charity",
        "1100026",
        "Support for autistic people and their families.",
    ),
    "play-inclusive": (
        "Play Inclusive Northbrook",
        "registered-charity",
        "1100027",
        "Short breaks and holiday play schemes for disabled children.",
    ),
    "college": (
        "Northbrook College",
        "school",
        "",
        "Further education college with adult courses.",
    ),
    "job-club": (
        "Riverside Job Club",
        "community-group",
        "",
        "Weekly job club with volunteers who help with CVs and applications.",
    ),
    "bereavement": (
        "Northbrook Bereavement Service",
        "registered-charity",
        "1100028",
        "Support for people who have been bereaved.",
    ),
    "hoarding-support": (
        "Clear Space Northbrook",
        "community-group",
        "",
        "Peer support for people who hoard.",
    ),
}

LIBRARIES = [
    "central-library",
    "eastfield-library",
    "westmoor-library",
    "southgate-library",
    "millbrook-library",
    "hollowell-library",
]
CHILDRENS_CENTRES = ["eastfield-cc", "westmoor-cc", "southgate-cc", "millbrook-cc", "northside-cc"]

CUSP, TENANTS, PARENTS = "cusp-of-care", "tenants", "parents"


def _place_name(key):
    return PLACES[key][0]


def services():
    """Each service: a dict of its fields. Keys become stable ids, so reloading updates in place."""
    items = []

    def add(key, org, name, description, terms, personas, places, hours="", **extra):
        items.append(
            {
                "key": key,
                "org": org,
                "name": name,
                "description": description,
                "terms": terms,
                "personas": personas,
                "places": places,
                "hours": hours,
                **extra,
            }
        )

    # Falls prevention classes in every library.
    for i, lib in enumerate(LIBRARIES):
        day = ["Mon", "Tue", "Wed", "Thu", "Fri", "Tue"][i]
        add(
            f"falls-{lib}",
            "age-friends",
            f"Falls prevention exercise classes at {_place_name(lib)}",
            "Gentle strength and balance exercise led by a qualified instructor, to lower your risk of a fall. Chairs provided; come in comfortable clothes.",
            ["falls-prevention-classes"],
            [CUSP],
            [lib],
            f"{day} 10:00\u201311:00",
            min_age=60,
            fee="\u00a32 a session",
            amount="2.00",
            support="prevention",
        )
    # Digital skills in every library.
    for i, lib in enumerate(LIBRARIES):
        day = ["Thu", "Fri", "Mon", "Wed", "Tue", "Sat"][i]
        add(
            f"digital-{lib}",
            "council-libraries",
            f"Digital skills sessions at {_place_name(lib)}",
            "Free one-to-one help with phones, tablets and computers: email, video calls, online forms and staying safe online. Bring your own device or borrow one.",
            ["digital-skills"],
            [CUSP, "report-and-transact"],
            [lib],
            f"{day} 14:00\u201316:00",
            min_age=16,
            support="prevention",
        )
    # Homework clubs in four libraries.
    for lib in LIBRARIES[:4]:
        add(
            f"homework-{lib}",
            "council-libraries",
            f"Homework club at {_place_name(lib)}",
            "A quiet place to do homework after school, with computers, printing and volunteers who can help.",
            ["homework-clubs"],
            [PARENTS],
            [lib],
            "Mon\u2013Thu 15:30\u201317:30",
            min_age=8,
            max_age=16,
        )
    # Stay and play in every children's centre.
    for i, cc in enumerate(CHILDRENS_CENTRES):
        day = ["Mon", "Tue", "Wed", "Thu", "Fri"][i]
        add(
            f"stay-and-play-{cc}",
            "council-early-help",
            f"Stay and play at {_place_name(cc)}",
            "Drop-in play sessions for babies and children under 5 with their parents or carers. Meet other families and talk to our family workers.",
            ["stay-and-play"],
            [PARENTS],
            [cc],
            f"{day} 09:30\u201311:30",
            max_age=5,
        )
        add(
            f"family-support-{cc}",
            "council-early-help",
            f"Family support at {_place_name(cc)}",
            "Talk to a family support worker about anything worrying you: sleep, behaviour, money or relationships. We can visit you at home.",
            ["parenting-support", "childrens-centres-and-early-help"],
            [PARENTS],
            [cc],
            "Mon\u2013Fri 09:00\u201317:00",
            referral="both",
            max_age=18,
        )
    # Lunch clubs.
    for key, org, place, day in [
        ("lunch-st-marks", "st-marks", "st-marks-hall", "Wed"),
        ("lunch-millbrook", "millbrook-methodists", "millbrook-hall", "Thu"),
        ("lunch-eastfield", "eastfield-residents", "eastfield-community", "Tue"),
        ("lunch-hollowell", "age-friends", "hollowell-community", "Fri"),
        ("lunch-westmoor", "westmoor-good-neighbours", "westmoor-community", "Mon"),
    ]:
        add(
            key,
            org,
            f"Lunch club at {_place_name(place)}",
            "A hot two-course lunch and good company for older people. Transport can be arranged if you can\u2019t get there on your own.",
            ["lunch-clubs"],
            [CUSP],
            [place],
            f"{day} 12:00\u201314:00",
            min_age=60,
            fee="\u00a35 for lunch",
            amount="5.00",
            support="prevention",
        )
    # Dementia cafés.
    for key, place, day in [
        ("dementia-cafe-riverside", "riverside-centre", "Tue"),
        ("dementia-cafe-southgate", "southgate-library", "Thu"),
        ("dementia-cafe-millbrook", "millbrook-hall", "Mon"),
    ]:
        add(
            key,
            "memory-lane",
            f"Dementia caf\u00e9 at {_place_name(place)}",
            "A friendly caf\u00e9 for people living with dementia and the people who care for them. Music, activities and advice from our dementia advisers.",
            ["dementia-cafes"],
            [CUSP],
            [place],
            f"{day} 14:00\u201316:00",
        )
    # Foodbanks.
    for key, place, hours in [
        ("foodbank-central", "st-marks-hall", "Mon, Wed 12:00\u201314:00\nSat 10:00\u201312:00"),
        ("foodbank-eastfield", "eastfield-community", "Tue, Thu 11:00\u201313:00"),
        ("foodbank-southgate", "southgate-youth", "Fri 12:00\u201315:00"),
    ]:
        add(
            key,
            "northbrook-foodbank",
            f"Northbrook Foodbank at {_place_name(place)}",
            "Three days of emergency food. You need a food voucher: ask Citizens Advice, your GP, a children\u2019s centre or the council for one. You can also call us.",
            ["foodbanks", "crisis-support"],
            [TENANTS, CUSP, PARENTS],
            [place],
            hours,
            referral="professional",
            support="crisis",
            same_day=True,
        )
    add(
        "pantry-hollowell",
        "hollowell-pantry",
        "Hollowell Community Pantry",
        "Join for \u00a31 and choose 10 items of food and household goods for \u00a35 each week.",
        ["community-meals"],
        [TENANTS],
        ["hollowell-community"],
        "Wed 15:00\u201318:00",
        fee="\u00a35 a week",
        amount="5.00",
    )
    add(
        "pantry-mosque",
        "hollowell-mosque",
        "Food pantry at Hollowell Mosque",
        "Free groceries for anyone who needs them, no questions asked.",
        ["community-meals", "foodbanks"],
        [TENANTS],
        ["mosque"],
        "Fri 14:00\u201316:00",
        same_day=True,
        support="crisis",
    )
    add(
        "gurdwara-langar",
        "gurdwara-kitchen",
        "Free community meals at Guru Nanak Community Kitchen",
        "A free hot vegetarian meal for anyone, every day. Everyone is welcome.",
        ["community-meals"],
        [TENANTS, CUSP],
        ["gurdwara"],
        "Mon\u2013Sun 12:00\u201315:00",
        same_day=True,
    )
    add(
        "meals-on-wheels",
        "hot-meals",
        "Meals on wheels",
        "Hot lunches and frozen meals delivered to your door by friendly drivers who check you are OK.",
        ["meals-on-wheels"],
        [CUSP],
        ["phone"],
        "Mon\u2013Sun 11:00\u201313:30",
        fee="\u00a35.20 a meal",
        amount="5.20",
        min_age=18,
    )
    add(
        "frozen-meals",
        "hot-meals",
        "Frozen meals delivered weekly",
        "Choose from 60 frozen meals, delivered once a week. Special diets catered for.",
        ["meals-on-wheels"],
        [CUSP],
        ["phone"],
        "Mon\u2013Fri 09:00\u201317:00",
        fee="From \u00a34 a meal",
        amount="4.00",
    )
    # Befriending.
    add(
        "befriending-phone",
        "age-friends",
        "Telephone befriending for older people",
        "A regular friendly phone call from a trained volunteer, for people aged 60 and over who feel lonely.",
        ["befriending"],
        [CUSP],
        ["phone"],
        "Mon\u2013Fri 10:00\u201316:00",
        min_age=60,
    )
    add(
        "befriending-visits",
        "westmoor-good-neighbours",
        "Good Neighbours home visits",
        "A volunteer visits you at home each week for a chat, a walk or help with small tasks.",
        ["befriending"],
        [CUSP],
        ["westmoor-community"],
        "Mon\u2013Fri 09:00\u201317:00",
        min_age=65,
    )
    add(
        "befriending-sight",
        "sight-support",
        "Befriending for people with sight loss",
        "Weekly visits or calls from a volunteer, and help reading post.",
        ["befriending"],
        [CUSP],
        ["riverside-centre"],
        "Tue 10:00\u201312:00",
    )
    add(
        "men-in-sheds",
        "men-in-sheds",
        "Northbrook Community Shed",
        "Make, mend and chat in a friendly workshop. All tools provided.",
        ["social-groups", "mental-health-and-wellbeing"],
        [CUSP],
        ["millbrook-hall"],
        "Tue, Thu 10:00\u201315:00",
        min_age=18,
        fee="\u00a32 a visit",
        amount="2.00",
    )
    add(
        "stroke-club",
        "stroke-club",
        "Stroke club",
        "Exercise, speech practice and friendship for people who have had a stroke.",
        ["social-groups", "mobility-aids"],
        [CUSP],
        ["leisure-centre"],
        "Wed 13:30\u201315:30",
    )
    add(
        "deaf-social",
        "deaf-centre",
        "Deaf social club",
        "Social evenings in British Sign Language, with advice drop-in.",
        ["social-groups"],
        [CUSP],
        ["riverside-centre"],
        "Thu 18:00\u201321:00",
        languages=[("British Sign Language", "bfi")],
    )
    add(
        "pride-social",
        "pride-network",
        "LGBTQ+ social group for over-50s",
        "A monthly social for LGBTQ+ people aged 50 and over.",
        ["social-groups", "loneliness-and-befriending"],
        [CUSP],
        ["central-library"],
        "Sat 14:00\u201316:00",
        min_age=50,
    )
    add(
        "health-walks",
        "walking-for-health",
        "Health walks",
        "Free, short walks led by trained volunteers. Go at your own pace.",
        ["mobility-aids", "mental-health-and-wellbeing"],
        [CUSP],
        ["leisure-centre"],
        "Mon, Fri 10:00\u201311:00",
    )
    add(
        "shopmobility",
        "shopmobility",
        "Shopmobility scooter and wheelchair hire",
        "Borrow a mobility scooter or wheelchair to get round the town centre.",
        ["mobility-aids", "transport"],
        [CUSP],
        ["town-hall"],
        "Mon\u2013Sat 09:30\u201316:30",
        fee="\u00a33 a day",
        amount="3.00",
    )
    # Carers.
    add(
        "carers-centre",
        "carers-hub",
        "Northbrook Carers Centre",
        "Advice, a carers\u2019 assessment, emotional support and breaks for anyone who looks after someone without being paid.",
        ["carers-centres"],
        [CUSP],
        ["riverside-centre"],
        "Mon\u2013Fri 09:00\u201317:00",
        min_age=18,
        referral="both",
    )
    add(
        "carers-breaks",
        "carers-hub",
        "Carers\u2019 breaks and sitting service",
        "A trained sitter stays with the person you look after so you can have a few hours off.",
        ["carers-breaks"],
        [CUSP],
        ["riverside-centre"],
        "Mon\u2013Fri 09:00\u201317:00",
        referral="both",
    )
    add(
        "carers-group",
        "carers-hub",
        "Carers\u2019 coffee morning",
        "Meet other carers, share tips and get advice.",
        ["carers-centres", "social-groups"],
        [CUSP],
        ["eastfield-library"],
        "Wed 10:00\u201312:00",
    )
    add(
        "young-carers",
        "young-carers",
        "Young carers project",
        "Clubs, trips and a listening ear for children aged 8 to 18 who look after someone at home.",
        ["carers", "youth"],
        [PARENTS],
        ["northside-youth"],
        "Tue 16:00\u201318:00",
        min_age=8,
        max_age=18,
        referral="both",
    )
    # Dementia.
    add(
        "memory-support",
        "memory-lane",
        "Dementia advice line",
        "Advice for anyone worried about memory loss or caring for someone with dementia.",
        ["memory-support"],
        [CUSP],
        ["phone"],
        "Mon\u2013Fri 09:00\u201317:00",
    )
    add(
        "singing-for-brain",
        "memory-lane",
        "Singing for memory group",
        "Singing familiar songs together, for people with dementia and their carers.",
        ["memory-support", "dementia-cafes"],
        [CUSP],
        ["st-marks-hall"],
        "Fri 14:00\u201315:30",
    )
    # Equipment and care at home.
    add(
        "handyperson",
        "care-and-repair",
        "Handyperson service",
        "Small repairs and safety jobs at home, like grab rails, key safes and fitting smoke alarms, for people aged 60 and over or disabled.",
        ["handyperson"],
        [CUSP, TENANTS],
        ["phone"],
        "Mon\u2013Fri 08:30\u201316:30",
        fee="Labour free; you pay for materials",
        min_age=60,
        bookable=True,
    )
    add(
        "care-and-repair",
        "care-and-repair",
        "Care and repair home improvement agency",
        "Help to plan and pay for bigger repairs and adaptations, including Disabled Facilities Grants.",
        ["handyperson", "home-adaptations"],
        [CUSP],
        ["phone"],
        "Mon\u2013Fri 09:00\u201317:00",
    )
    add(
        "ot-assessment",
        "council-occupational-therapy",
        "Equipment and adaptations assessment",
        "An occupational therapist visits to see what equipment or changes to your home would help you stay safe and independent.",
        ["home-adaptations", "equipment-and-adaptations"],
        [CUSP],
        ["town-hall"],
        "Mon\u2013Fri 09:00\u201317:00",
        referral="both",
    )
    add(
        "equipment-loan",
        "council-occupational-therapy",
        "Community equipment loan",
        "Free loan of equipment such as bath seats, commodes and walking frames after an assessment.",
        ["equipment-and-adaptations", "mobility-aids"],
        [CUSP],
        ["town-hall"],
        "Mon\u2013Fri 09:00\u201317:00",
        referral="professional",
    )
    add(
        "careline",
        "telecare",
        "Careline personal alarms",
        "A pendant alarm that connects you to our 24-hour response team if you fall or feel unwell.",
        ["personal-alarms"],
        [CUSP],
        ["phone"],
        "Mon\u2013Sun 00:00\u201323:59",
        fee="\u00a34.50 a week",
        amount="4.50",
        out_of_hours=True,
    )
    add(
        "reablement",
        "reablement",
        "Reablement at home",
        "Up to six weeks of free support at home to help you get back on your feet after hospital or illness.",
        ["reablement"],
        [CUSP],
        ["phone"],
        "Mon\u2013Sun 07:00\u201322:00",
        referral="professional",
        min_age=18,
    )
    add(
        "asc-assessment",
        "council-asc",
        "Care needs assessment",
        "Ask the council to assess what care and support you or someone you look after needs.",
        ["care-and-support-at-home"],
        [CUSP],
        ["town-hall"],
        "Mon\u2013Fri 09:00\u201317:00",
        min_age=18,
    )
    add(
        "home-care-brookfield",
        "home-care-co",
        "Brookfield Home Care",
        "Help with washing, dressing, meals and medication in your own home.",
        ["home-care"],
        [CUSP],
        ["phone"],
        "Mon\u2013Sun 07:00\u201322:00",
        fee="\u00a326 an hour",
        amount="26.00",
    )
    add(
        "home-care-kind",
        "kind-care",
        "Kind Care home care",
        "Home care from a co-operative of local care workers.",
        ["home-care"],
        [CUSP],
        ["phone"],
        "Mon\u2013Sun 07:00\u201322:00",
        fee="\u00a325 an hour",
        amount="25.00",
    )
    # Money and debt.
    add(
        "ca-drop-in",
        "citizens-advice",
        "Citizens Advice drop-in",
        "Free, confidential advice on benefits, debt, housing, work and consumer problems.",
        ["debt-advice", "benefits-advice"],
        [TENANTS, CUSP],
        ["advice-centre"],
        "Mon, Wed, Fri 10:00\u201315:00",
        same_day=True,
    )
    add(
        "ca-phone",
        "citizens-advice",
        "Citizens Advice advice line",
        "Phone advice on any problem, and appointments with a specialist.",
        ["debt-advice", "benefits-advice"],
        [TENANTS, CUSP, "business"],
        ["phone"],
        "Mon\u2013Fri 09:00\u201317:00",
    )
    add(
        "ca-library",
        "citizens-advice",
        "Citizens Advice at Southgate Library",
        "Outreach advice sessions in the library.",
        ["benefits-advice"],
        [TENANTS],
        ["southgate-library"],
        "Tue 10:00\u201313:00",
    )
    add(
        "credit-union",
        "brookside-credit-union",
        "Brookside Credit Union savings and loans",
        "Save a little each week and borrow at a fair rate, instead of using payday lenders.",
        ["credit-unions"],
        [TENANTS],
        ["town-hall"],
        "Mon\u2013Fri 10:00\u201316:00",
        min_age=16,
    )
    add(
        "money-mentors",
        "fresh-start",
        "Money mentoring",
        "Six one-to-one sessions to build a budget, deal with bills and plan ahead.",
        ["debt-advice"],
        [TENANTS],
        ["westmoor-community"],
        "Thu 10:00\u201316:00",
    )
    add(
        "energy-advice",
        "energy-advice",
        "Energy and fuel debt advice",
        "Help to cut energy bills, deal with fuel debt and apply for grants for insulation.",
        ["debt-advice", "money-debt-and-benefits-advice"],
        [TENANTS, CUSP],
        ["phone"],
        "Mon\u2013Fri 09:00\u201317:00",
    )
    add(
        "council-tax-support",
        "council-benefits",
        "Housing Benefit and Council Tax Support",
        "Apply for help to pay your rent and Council Tax.",
        ["benefits-advice"],
        [TENANTS],
        ["town-hall"],
        "Mon\u2013Fri 09:00\u201317:00",
    )
    add(
        "crisis-fund",
        "council-benefits",
        "Northbrook Crisis Fund",
        "Emergency payments and help with essential items if you are in crisis.",
        ["emergency-grants"],
        [TENANTS, CUSP, PARENTS],
        ["phone"],
        "Mon\u2013Fri 09:00\u201317:00",
        support="crisis",
        same_day=True,
    )
    # Housing.
    add(
        "housing-options",
        "council-housing",
        "Housing Options advice",
        "Advice if you are homeless or might lose your home. Contact us as soon as you can.",
        ["homelessness-advice"],
        [TENANTS],
        ["town-hall"],
        "Mon\u2013Fri 09:00\u201317:00",
        support="crisis",
        same_day=True,
    )
    add(
        "housing-out-of-hours",
        "council-housing",
        "Emergency homelessness line",
        "If you are homeless tonight, call us. We answer out of hours and at weekends.",
        ["homelessness-advice", "crisis-support"],
        [TENANTS],
        ["phone"],
        "Mon\u2013Sun 17:00\u201323:59",
        support="crisis",
        same_day=True,
        out_of_hours=True,
    )
    add(
        "day-centre",
        "homeless-trust",
        "Riverside day centre for people sleeping rough",
        "Breakfast, showers, laundry, a postal address and advice.",
        ["homelessness-advice", "community-meals"],
        [TENANTS],
        ["riverside-centre"],
        "Mon\u2013Fri 08:00\u201314:00",
        same_day=True,
        support="crisis",
    )
    add(
        "tenancy-support",
        "brook-housing",
        "Tenancy sustainment service",
        "Help to manage your tenancy, bills and benefits so you can keep your home.",
        ["tenancy-support"],
        [TENANTS],
        ["phone"],
        "Mon\u2013Fri 09:00\u201317:00",
        referral="both",
    )
    add(
        "hoarding",
        "hoarding-support",
        "Hoarding support group",
        "A confidential peer support group for people who find it hard to let go of things.",
        ["tenancy-support", "peer-support"],
        [TENANTS],
        ["central-library"],
        "Mon 18:00\u201320:00",
    )
    # Domestic abuse.
    add(
        "da-helpline",
        "safe-homes",
        "Domestic abuse helpline",
        "Confidential advice and support for anyone affected by domestic abuse. In an emergency call 999.",
        ["domestic-abuse-advice"],
        [TENANTS, PARENTS],
        ["phone"],
        "Mon\u2013Sun 00:00\u201323:59",
        support="crisis",
        same_day=True,
        out_of_hours=True,
    )
    add(
        "da-outreach",
        "safe-homes",
        "Domestic abuse outreach and advocacy",
        "An independent adviser helps you stay safe, with the police, courts and housing.",
        ["domestic-abuse-advice"],
        [TENANTS, PARENTS],
        ["advice-centre"],
        "Mon\u2013Fri 09:00\u201317:00",
        referral="both",
        support="crisis",
    )
    add(
        "da-group",
        "safe-homes",
        "Freedom recovery programme",
        "A 12-week group for women who have experienced domestic abuse.",
        ["domestic-abuse", "peer-support"],
        [PARENTS],
        ["westmoor-community"],
        "Wed 10:00\u201312:00",
    )
    # Mental health.
    add(
        "talking-therapies",
        "talking-well",
        "NHS talking therapies",
        "Free therapy for anxiety, depression and stress. You can refer yourself online or by phone.",
        ["talking-therapies"],
        [CUSP, TENANTS, PARENTS],
        ["phone"],
        "Mon\u2013Fri 08:00\u201320:00",
        min_age=18,
    )
    add(
        "mind-peer",
        "mind-northbrook",
        "Mind peer support groups",
        "Weekly groups where people with experience of mental ill health support each other.",
        ["peer-support"],
        [CUSP, TENANTS],
        ["riverside-centre"],
        "Tue, Thu 18:00\u201320:00",
        min_age=18,
    )
    add(
        "mind-crisis-cafe",
        "mind-northbrook",
        "Evening crisis caf\u00e9",
        "A safe place to go in the evening if you are struggling with your mental health.",
        ["crisis-support", "mental-health-and-wellbeing"],
        [TENANTS, CUSP],
        ["riverside-centre"],
        "Fri, Sat, Sun 18:00\u201323:00",
        support="crisis",
        same_day=True,
        out_of_hours=True,
    )
    add(
        "bereavement",
        "bereavement",
        "Bereavement support",
        "One-to-one support and groups for people who have been bereaved.",
        ["mental-health-and-wellbeing"],
        [CUSP],
        ["st-marks-hall"],
        "Mon\u2013Fri 10:00\u201316:00",
    )
    add(
        "football-wellbeing",
        "football-foundation",
        "Football and wellbeing sessions",
        "Walking football and a chat for men who want to look after their mental health.",
        ["mental-health-and-wellbeing", "mobility-aids"],
        [CUSP],
        ["leisure-centre"],
        "Sat 10:00\u201312:00",
        min_age=18,
    )
    add(
        "autism-hub",
        "autism-hub",
        "Autism drop-in",
        "Advice and support for autistic people and their families, with or without a diagnosis.",
        ["send-parent-support", "mental-health-and-wellbeing"],
        [PARENTS],
        ["riverside-centre"],
        "Thu 10:00\u201314:00",
    )
    # Early years and childcare.
    add(
        "home-visits-families",
        "home-start",
        "Volunteer home visits for families",
        "A trained volunteer visits your family every week to offer practical and emotional support.",
        ["parenting-support"],
        [PARENTS],
        ["phone"],
        "Mon\u2013Fri 09:00\u201317:00",
        referral="both",
        max_age=5,
    )
    add(
        "dads-group",
        "dads-matter",
        "Dads\u2019 stay and play",
        "Saturday morning play sessions for dads and male carers and their children.",
        ["stay-and-play", "parenting-support"],
        [PARENTS],
        ["millbrook-cc"],
        "Sat 10:00\u201312:00",
        max_age=5,
    )
    add(
        "feeding-friends",
        "breastfeeding-network",
        "Infant feeding support group",
        "Friendly help with breastfeeding and bottle feeding from trained peer supporters.",
        ["parenting-support", "stay-and-play"],
        [PARENTS],
        ["eastfield-cc"],
        "Wed 13:00\u201314:30",
        max_age=1,
    )
    add(
        "nursery-eastfield",
        "little-steps",
        "Little Steps Nursery Eastfield",
        "Day nursery for children aged 6 months to 5 years. 15 and 30 hours free childcare accepted.",
        ["nurseries"],
        [PARENTS],
        ["eastfield-community"],
        "Mon\u2013Fri 08:00\u201318:00",
        fee="\u00a365 a day",
        amount="65.00",
        max_age=5,
    )
    add(
        "nursery-westmoor",
        "little-steps",
        "Little Steps Nursery Westmoor",
        "Day nursery with a garden and forest school.",
        ["nurseries"],
        [PARENTS],
        ["westmoor-community"],
        "Mon\u2013Fri 08:00\u201318:00",
        fee="\u00a365 a day",
        amount="65.00",
        max_age=5,
    )
    add(
        "childminders",
        "childminders-network",
        "Find a registered childminder",
        "Registered childminders across the borough, many offering free early education hours.",
        ["childminders"],
        [PARENTS],
        ["phone"],
        "Mon\u2013Fri 09:00\u201317:00",
        fee="Varies by childminder",
        amount="7.50",
        max_age=12,
    )
    add(
        "fis",
        "council-early-help",
        "Family Information Service",
        "Free advice about childcare, help with childcare costs and activities for children.",
        ["childcare"],
        [PARENTS],
        ["town-hall"],
        "Mon\u2013Fri 09:00\u201317:00",
    )
    # SEND.
    add(
        "send-ias",
        "council-send",
        "SEND information, advice and support service",
        "Impartial advice for parents and young people about special educational needs, EHC plans and appeals.",
        ["send-parent-support"],
        [PARENTS],
        ["phone"],
        "Mon\u2013Fri 09:30\u201316:30",
        max_age=25,
    )
    add(
        "parent-voice",
        "parent-voice",
        "Parent Voice coffee mornings",
        "Meet other parents of children with SEND and help shape local services.",
        ["send-parent-support"],
        [PARENTS],
        ["central-library"],
        "Tue 10:00\u201312:00",
    )
    add(
        "short-breaks",
        "play-inclusive",
        "Short breaks holiday play scheme",
        "Holiday play for disabled children aged 5 to 17, with one-to-one support.",
        ["short-breaks"],
        [PARENTS],
        ["southgate-youth"],
        "Mon\u2013Fri 10:00\u201315:00",
        min_age=5,
        max_age=17,
        referral="professional",
    )
    add(
        "send-travel-training",
        "council-send",
        "Independent travel training",
        "One-to-one training for young people with SEND to travel on buses and trains on their own.",
        ["travel-training", "send-and-local-offer"],
        [PARENTS],
        ["town-hall"],
        "Mon\u2013Fri 09:00\u201317:00",
        min_age=11,
        max_age=25,
        referral="professional",
    )
    add(
        "send-local-offer",
        "council-send",
        "SEND Local Offer helpline",
        "Find out what support is available for children and young people with SEND in Northbrook.",
        ["send-and-local-offer"],
        [PARENTS],
        ["phone"],
        "Mon\u2013Fri 09:00\u201317:00",
        max_age=25,
    )
    # Youth.
    for key, org, place, hours in [
        ("youth-southgate", "council-youth", "southgate-youth", "Mon, Wed, Fri 17:00\u201321:00"),
        ("youth-northside", "young-futures", "northside-youth", "Tue\u2013Sat 16:00\u201321:00"),
        ("youth-eastfield", "young-futures", "eastfield-community", "Thu 18:00\u201320:30"),
        ("youth-hollowell", "council-youth", "hollowell-community", "Tue, Thu 17:00\u201320:00"),
    ]:
        add(
            key,
            org,
            f"Youth club at {_place_name(place)}",
            "Sport, music, cooking and trips, with youth workers you can talk to. Free to join.",
            ["youth-clubs"],
            [PARENTS],
            [place],
            hours,
            min_age=11,
            max_age=19,
        )
    add(
        "mentoring",
        "young-futures",
        "Youth mentoring",
        "A volunteer mentor meets you every week to help you plan your future.",
        ["youth", "employment-support"],
        [PARENTS],
        ["northside-youth"],
        "Mon\u2013Fri 16:00\u201319:00",
        min_age=13,
        max_age=19,
        referral="both",
    )
    # Employment and skills.
    add(
        "works-hub",
        "work-ready",
        "Northbrook Works job support",
        "A work coach helps you find training and a job that suits you, and supports you in your first months of work.",
        ["employment-support"],
        [TENANTS],
        ["jobs-hub"],
        "Mon\u2013Fri 09:00\u201317:00",
        min_age=16,
    )
    add(
        "job-club",
        "job-club",
        "Riverside job club",
        "Drop in for help with CVs, applications and interview practice.",
        ["employment-support"],
        [TENANTS],
        ["riverside-centre"],
        "Wed 10:00\u201313:00",
    )
    add(
        "esol",
        "council-adult-learning",
        "English classes for speakers of other languages",
        "Free English classes at all levels, from beginners to exam preparation.",
        ["adult-learning"],
        [TENANTS, PARENTS],
        ["central-library"],
        "Mon, Wed 18:00\u201320:00",
        min_age=19,
    )
    add(
        "college-courses",
        "college",
        "Adult courses at Northbrook College",
        "Part-time courses in maths, English, computing and trades. Many are free.",
        ["adult-learning", "employment-and-skills"],
        [TENANTS],
        ["jobs-hub"],
        "Mon\u2013Thu 09:00\u201321:00",
        min_age=19,
    )
    add(
        "refugee-welcome",
        "refugee-welcome",
        "Refugee welcome drop-in",
        "Advice, English conversation practice and a warm welcome for refugees and asylum seekers.",
        ["adult-learning", "social-groups"],
        [TENANTS],
        ["riverside-centre"],
        "Fri 10:00\u201313:00",
        languages=[("Arabic", "ar"), ("Ukrainian", "uk")],
    )
    # Digital inclusion extra.
    add(
        "tech-buddies",
        "tech-buddies",
        "Tech Buddies home visits",
        "A volunteer visits you at home to help you get online.",
        ["digital-skills"],
        [CUSP],
        ["phone"],
        "Mon\u2013Fri 10:00\u201316:00",
        min_age=60,
    )
    add(
        "device-lending",
        "council-libraries",
        "Borrow a tablet and data",
        "Borrow a tablet with free mobile data for up to 12 weeks, with help to use it.",
        ["device-lending"],
        [TENANTS, CUSP],
        ["central-library"],
        "Mon\u2013Sat 09:00\u201317:00",
        min_age=18,
    )
    # Transport.
    add(
        "dial-a-ride",
        "community-wheels",
        "Community Wheels dial-a-ride minibus",
        "Door-to-door minibus for people who find it hard to use buses. Book a day ahead.",
        ["community-transport"],
        [CUSP],
        ["phone"],
        "Mon\u2013Fri 08:00\u201318:00",
        fee="\u00a33 a journey",
        amount="3.00",
        bookable=True,
    )
    add(
        "volunteer-cars",
        "community-wheels",
        "Volunteer car scheme for medical appointments",
        "A volunteer driver takes you to hospital and GP appointments.",
        ["community-transport"],
        [CUSP],
        ["phone"],
        "Mon\u2013Fri 08:00\u201317:00",
        fee="45p a mile",
        amount="0.45",
    )
    # Volunteering.
    add(
        "volunteer-centre",
        "volunteer-centre",
        "Find volunteering in Northbrook",
        "We match you with a volunteering role that suits your time and interests.",
        ["volunteer-opportunities"],
        [CUSP, TENANTS, PARENTS],
        ["riverside-centre"],
        "Mon\u2013Fri 10:00\u201316:00",
        min_age=14,
    )
    add(
        "volunteer-foodbank",
        "northbrook-foodbank",
        "Volunteer at Northbrook Foodbank",
        "Help sort donations, pack food parcels or welcome visitors.",
        ["volunteer-opportunities"],
        [CUSP, TENANTS],
        ["st-marks-hall"],
        "Mon, Wed 10:00\u201314:00",
        min_age=16,
    )
    add(
        "volunteer-befriender",
        "age-friends",
        "Become a befriender",
        "Spend an hour a week chatting to an older person who would love the company.",
        ["volunteer-opportunities", "befriending"],
        [CUSP],
        ["phone"],
        "Mon\u2013Fri 09:00\u201317:00",
        min_age=18,
    )
    # Warm welcome spaces and clinics.
    for lib in LIBRARIES[1:4]:
        add(
            f"warm-space-{lib}",
            "council-libraries",
            f"Warm welcome space at {_place_name(lib)}",
            "A warm, free place to sit, read, have a hot drink and meet people. No need to book.",
            ["social-groups", "loneliness-and-befriending"],
            [CUSP, TENANTS],
            [lib],
            "Mon\u2013Sat 10:00\u201316:00",
            same_day=True,
        )
    add(
        "hearing-aid-clinic",
        "deaf-centre",
        "Hearing aid maintenance clinic",
        "Free re-tubing, batteries and cleaning for NHS hearing aids.",
        ["equipment-and-adaptations"],
        [CUSP],
        ["eastfield-library"],
        "Thu 10:00\u201312:00",
    )
    add(
        "sight-advice",
        "sight-support",
        "Sight loss advice and equipment demonstrations",
        "Try magnifiers, talking clocks and other equipment, and get advice about living with sight loss.",
        ["equipment-and-adaptations", "home-adaptations"],
        [CUSP],
        ["riverside-centre"],
        "Wed 10:00\u201313:00",
    )
    add(
        "carers-benefits",
        "citizens-advice",
        "Benefits check for carers",
        "Find out whether you can get Carer\u2019s Allowance and other help.",
        ["benefits-advice", "carers"],
        [CUSP],
        ["riverside-centre"],
        "Mon 10:00\u201313:00",
    )
    return items
