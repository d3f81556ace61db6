"""Names and wording of the demo coalition (see ``coalition.demo.seed``).

Everything here is fictional: insurers, organisations and people are invented, e-mail
addresses use the reserved ``.example`` domains and telephone numbers the 555-01xx range.
The demo is set in Oregon.
"""
from __future__ import annotations

STATE = "Oregon"

# (region, share of the allies, towns)
REGIONS = (
    ("Portland Metro", 38, ("Portland", "Gresham", "Beaverton", "Hillsboro", "Lake Oswego")),
    ("Willamette Valley", 22, ("Salem", "Eugene", "Corvallis", "Albany", "McMinnville")),
    ("Central Oregon", 11, ("Bend", "Redmond", "Prineville", "Madras")),
    ("Southern Oregon", 12, ("Medford", "Grants Pass", "Ashland", "Roseburg", "Klamath Falls")),
    ("Eastern Oregon", 7, ("Pendleton", "La Grande", "Ontario", "Baker City", "Hermiston")),
    ("Coast", 10, ("Astoria", "Newport", "Tillamook", "Coos Bay", "Lincoln City")),
)
AREA_CODES = {
    "Portland Metro": ("503", "971"), "Willamette Valley": ("503", "541", "458"),
    "Central Oregon": ("541", "458"), "Southern Oregon": ("541", "458"),
    "Eastern Oregon": ("541",), "Coast": ("503", "541"),
}

FIRST_NAMES = (
    "Maria", "James", "Aisha", "Daniel", "Mei", "Robert", "Priya", "Michael", "Sofia", "David",
    "Hannah", "Luis", "Grace", "Samuel", "Fatima", "Ethan", "Olivia", "Noah", "Emma", "Liam",
    "Ava", "Mateo", "Isabella", "Lucas", "Mia", "Elijah", "Chloe", "Benjamin", "Zoe", "Henry",
    "Leah", "Jacob", "Nora", "Owen", "Ruth", "Caleb", "Ingrid", "Tomás", "Amara", "Wei",
    "Keiko", "Diego", "Rosa", "Tyler", "Megan", "Andre", "Naomi", "Carlos", "Julia", "Kevin",
    "Linh", "Marcus", "Esther", "Rahul", "Claire", "Jonah", "Alma", "Victor", "Helen", "Sean",
    "Yuki", "Omar", "Paula", "Gabriel", "Irene", "Felix", "Lena", "Hugo", "Anita", "Patrick",
    "Teresa", "Dmitri", "Camila", "Jamal", "Beatriz", "Connor", "Farah", "Gustavo", "Nadia",
    "Elena", "Walter", "Joan", "Raymond", "Lorraine", "Desmond", "Marisol", "Trevor", "Sunita",
    "Kai", "Brenda", "Arturo", "Wendy", "Cheng", "Darnell", "Ines", "Howard", "Lucia", "Bryce",
    "Renee", "Abdi", "Colleen", "Hector", "Tamara", "Min-jun", "Gloria", "Stuart", "Ayana",
)
LAST_NAMES = (
    "Lopez", "Nguyen", "Johnson", "Kim", "Patel", "Garcia", "Smith", "Chen", "Martinez", "Brown",
    "Okafor", "Wilson", "Anderson", "Tanaka", "Hernandez", "Miller", "Davis", "Rodriguez",
    "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Perez",
    "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins",
    "Stewart", "Sanchez", "Morris", "Rogers", "Reed", "Cook", "Morgan", "Bell", "Murphy",
    "Bailey", "Rivera", "Cooper", "Richardson", "Cox", "Howard", "Ward", "Peterson", "Gray",
    "Ramirez", "Watson", "Brooks", "Kelly", "Sanders", "Price", "Bennett", "Wood", "Barnes",
    "Ross", "Henderson", "Coleman", "Jenkins", "Perry", "Powell", "Long", "Patterson", "Hughes",
    "Flores", "Washington", "Butler", "Simmons", "Foster", "Gonzales", "Bryant", "Alexander",
    "Russell", "Griffin", "Diaz", "Hayes", "Myers", "Ford", "Hamilton", "Graham", "Sullivan",
    "Wallace", "Woods", "Cole", "West", "Jordan", "Owens", "Reynolds", "Fischer", "Ellis",
    "Haddad", "Lindqvist", "Yamamoto", "Novak", "Mensah", "O'Brien", "Kowalski", "Abebe",
)

# ---------------------------------------------------------------------------- insurers
# name, plan types, sub-regions, website, notes
INSURERS = (
    ("Northbridge Mutual Health", "PPO, HMO, EPO",
     ("Portland Metro", "Willamette Valley", "Coast", "Southern Oregon"),
     "https://www.northbridge-health.example",
     "Largest commercial carrier in the state; about 410,000 members. Renegotiates its "
     "outpatient fee schedule every January."),
    ("Silver Basin Health Plan", "Medicaid managed care, HMO",
     ("Willamette Valley", "Central Oregon", "Eastern Oregon"),
     "https://www.silverbasinhealth.example",
     "Coordinated-care organisation under contract with the state; network adequacy is "
     "reviewed every year."),
    ("Harborlight Health", "Medicare Advantage, PPO",
     ("Portland Metro", "Central Oregon", "Southern Oregon", "Coast"),
     "https://www.harborlight.example",
     "Growing Medicare Advantage plan; utilisation management outsourced to a vendor since "
     "last year."),
)

# key, parent key, role, title, department, topics, optional (may be left out)
CONTACT_CHART = (
    ("ceo", None, "decision_maker", "President and CEO", "Executive office",
     "strategy, public reputation, state relations", False),
    ("vp_network", "ceo", "decision_maker", "Vice President, Network Management",
     "Network management", "fee schedules, contracting, network adequacy", False),
    ("cmo", "ceo", "medical_director", "Chief Medical Officer", "Medical management",
     "medical policy, utilisation management, clinical guidelines", False),
    ("medical_director", "cmo", "medical_director", "Medical Director, Rehabilitation Services",
     "Medical management", "PT/OT coverage policy, visit limits, prior authorisation", True),
    ("network_manager", "vp_network", "network_manager", "Regional Network Manager",
     "Network management", "network adequacy, rural access, credentialing", False),
    ("pr_manager", "vp_network", "provider_relations", "Provider Relations Manager",
     "Provider relations", "provider complaints, contract questions, escalations", True),
    ("pr_rep", "vp_network", "provider_relations", "Provider Relations Representative",
     "Provider relations", "claims questions, credentialing status, portal issues", False),
    ("appeals", "cmo", "other", "Manager, Appeals and Grievances", "Member services",
     "claim denials, appeals, grievance statistics", True),
    ("gov_affairs", "ceo", "other", "Director of Government Affairs", "Government affairs",
     "legislation, regulator relations, public statements", True),
)

# ---------------------------------------------------------------------------- allies
REGULATORS = (
    # is_org, name, title, organisation, region, influence
    (True, "Oregon Division of Financial Regulation", None, None, STATE, 5),
    (False, None, "Network adequacy analyst", "Oregon Division of Financial Regulation",
     STATE, 4),
    (True, "Oregon Health Authority, Medicaid programme", None, None, STATE, 5),
    (False, None, "Consumer advocate", "Oregon Division of Financial Regulation", STATE, 4),
)

# Organisation name templates per kind; {town} and {region} are filled in.
ORGANISATIONS = {
    "patient_org": (
        "Oregon Arthritis Alliance", "Parkinson's Resource Network of Oregon",
        "Oregon Stroke Recovery Coalition", "Multiple Sclerosis Friends of Oregon",
        "Oregon Spine Health Foundation", "Cascadia Limb Loss Association",
        "Oregon Chronic Pain Advocates", "Pelvic Health Alliance of Oregon",
        "Brain Injury Connections Oregon", "Oregon Seniors' Mobility League",
        "Long COVID Families of Oregon", "Oregon Disability Action Network",
    ),
    "support_group": (
        "{town} Stroke Survivors Circle", "{town} Parkinson's Support Group",
        "{town} Joint Replacement Peer Group", "{town} MS Self-Help Group",
        "{town} Amputee Peer Network", "{town} Chronic Pain Support Group",
        "{town} Caregivers' Circle", "{town} Long COVID Support Group",
    ),
    "medical": (
        "{town} Family Medicine", "{town} Orthopaedic and Sports Medicine",
        "{town} Community Hospital", "{town} Neurology Associates",
        "{region} Rehabilitation Hospital", "{town} Rheumatology Clinic",
        "{town} Medical Society", "{town} Federally Qualified Health Center",
    ),
    "employer": (
        "{town} School District", "{region} Timber Products", "{town} Food Co-op",
        "{town} Regional Port", "{region} Logistics", "{town} City Government",
        "{region} Credit Union", "{town} Builders Supply",
    ),
    "media": (
        "The {town} Courier", "{region} Public Radio", "{town} Evening Ledger",
        "KORX {town} News", "{region} Health Beat (newsletter)", "Oregon Capital Report",
    ),
}
PERSON_TITLES = {
    "patient_org": ("Executive director", "Advocacy chair", "Board member",
                    "Volunteer coordinator", "Policy director"),
    "support_group": ("Group facilitator", "Peer leader", "Founder", "Co-ordinator"),
    "medical": ("Family physician", "Orthopaedic surgeon", "Neurologist", "Physiatrist",
                "Sports medicine physician", "Rheumatologist", "Nurse practitioner",
                "Hospital CEO", "Chief nursing officer", "Practice manager",
                "Medical society president"),
    "employer": ("Benefits manager", "HR director", "Owner", "Chief financial officer"),
    "media": ("Health reporter", "Editor", "Producer", "Columnist"),
}
REFERRING_TITLES = ("Family physician", "Orthopaedic surgeon", "Neurologist", "Physiatrist",
                    "Sports medicine physician", "Rheumatologist", "Nurse practitioner")
OTHER_TITLES = (
    ("Retired physical therapist", None), ("Athletic trainer", "{town} High School"),
    ("Disability rights advocate", None), ("Health-benefits representative", "Oregon Nurses and Allied Workers Union"),
    ("Pastor", "{town} Community Church"), ("Director", "{town} Chamber of Commerce"),
    ("Professor of physical therapy", "Pacific Northwest University of Health Sciences"),
    ("Caregiver", None),
)
LEGISLATURE = "Oregon State Legislature"
LEGISLATOR_COMMITTEES = (
    "House Committee on Behavioral Health and Health Care",
    "Senate Committee on Health Care", "House Committee on Business and Labor",
    "Joint Committee on Ways and Means", "Senate Committee on Rural Policy",
)

CONDITIONS = ("post-stroke", "knee replacement", "hip replacement", "chronic low back pain",
              "multiple sclerosis", "Parkinson's", "ACL reconstruction", "pelvic floor",
              "vestibular", "amputation", "long COVID", "rotator cuff", "concussion",
              "cerebral palsy (parent)", "fall prevention")
PATIENT_NOTES = (
    "Hit the visit cap in week 7 of rehabilitation; willing to tell the story.",
    "Waited 11 days for prior authorisation after visit 6.",
    "Testified at a county health-board meeting last year.",
    "Prefers e-mail; available evenings.",
    "Drives 90 minutes to the nearest in-network clinic.",
    "Paid out of pocket after a denied claim.",
)
CONSENT_METHODS = (
    "Signed consent form at the clinic", "Public sign-up page of the chapter",
    "Verbal consent, recorded by the member", "E-mail reply to the chapter newsletter",
)

# ---------------------------------------------------------------------------- issues
# Each event: (days after the issue opened, kind, summary, details). Stage changes carry
# the new stage as their summary's key in STAGE_CHANGE below; all other events may be
# left out by the seed. Events are in chronological order.
ISSUES = (
    {
        "title": "12-visit annual cap on PT",
        "insurer": 0, "category": "visit_cap", "opened_days_ago": 430,
        "closed_days_ago": None,
        "description": "From this plan year Northbridge's PPO and HMO plans pay for at most 12 "
                       "physical-therapy visits a year, whatever the diagnosis. Patients after "
                       "a stroke or joint replacement routinely need 20–30.",
        "desired_outcome": "No hard cap: visits beyond 12 allowed on documented medical "
                           "necessity, reviewed within 3 working days.",
        "fallback": "A 30-visit cap with automatic exceptions for neurological conditions "
                    "and post-surgical rehabilitation.",
        "coverage_gap_regions": None,
        "unique_services": "Neurological rehabilitation",
        "events": (
            (0, "insurer_action", "Northbridge announces a 12-visit annual cap",
             "Notice sent to network providers with 60 days' warning."),
            (0, "stage_change", "relationship_building", None),
            (18, "meeting", "Coffee with the provider-relations representative",
             "Cap decided by the network management team; medical director was not consulted."),
            (32, "stage_change", "preparation", None),
            (47, "note", "Member survey: 41 practices report patients reaching the cap",
             "Median 19 visits needed for post-surgical rehabilitation."),
            (85, "letter", "Letter with 23 patient stories to the VP Network Management", None),
            (121, "call", "Call with the medical director's office",
             "Open to a medical-necessity exception; wants outcome data."),
            (152, "stage_change", "negotiation", None),
            (160, "meeting", "First negotiation meeting at Northbridge",
             "Chapter presented outcome data; Northbridge to model the cost of 30 visits."),
            (300, "insurer_action", "Northbridge offers a medical-necessity exception",
             "Exception needs a new authorisation every 4 visits — too burdensome."),
            (395, "meeting", "Second negotiation meeting", "Counter-proposal: 30 visits."),
        ),
    },
    {
        "title": "15% fee-schedule cut",
        "insurer": 1, "category": "reimbursement_rate", "opened_days_ago": 310,
        "closed_days_ago": None,
        "description": "Silver Basin cut its outpatient rehabilitation fee schedule by 15% "
                       "across all CPT codes, below Medicaid's own floor for several codes.",
        "desired_outcome": "Reverse the cut and index the fee schedule to the state Medicaid "
                           "rates.",
        "fallback": "Phase the cut over three years and exempt rural practices.",
        "coverage_gap_regions": "Eastern Oregon, Central Oregon",
        "unique_services": None,
        "events": (
            (0, "insurer_action", "Silver Basin publishes the new fee schedule", None),
            (0, "stage_change", "preparation", None),
            (21, "note", "Cost analysis: 9 rural practices would run at a loss", None),
            (40, "stage_change", "negotiation", None),
            (45, "meeting", "Meeting with the VP Network Management",
             "No movement; cut justified by the state's capitation rate."),
            (96, "letter", "Joint letter with the medical society and two hospitals", None),
            (161, "stage_change", "escalation", None),
            (170, "complaint", "Complaint to the Oregon Health Authority",
             "Network adequacy in Eastern Oregon at risk if practices leave."),
            (221, "testimony", "Testimony before the House Health Care Committee",
             "Three patients and a rural clinic owner testified."),
            (262, "letter", "Follow-up letter from two legislators to Silver Basin's CEO", None),
        ),
    },
    {
        "title": "Prior authorisation after visit 6",
        "insurer": 2, "category": "prior_authorization", "opened_days_ago": 125,
        "closed_days_ago": None,
        "description": "Harborlight's utilisation-management vendor now requires prior "
                       "authorisation from the seventh visit; answers take 7–14 days and care "
                       "stops meanwhile.",
        "desired_outcome": "Prior authorisation only after visit 20, answered within 48 hours.",
        "fallback": "Gold-carding for practices with low denial rates.",
        "coverage_gap_regions": None,
        "unique_services": None,
        "events": (
            (0, "insurer_action", "Harborlight notice: prior authorisation from visit 7", None),
            (0, "stage_change", "relationship_building", None),
            (12, "note", "Chapter starts collecting delay data from members", None),
            (31, "meeting", "Meeting with the provider-relations representative",
             "Vendor contract runs until the end of next year."),
            (46, "stage_change", "preparation", None),
            (72, "call", "Call with the Medical Director, Rehabilitation Services",
             "Interested in gold-carding; asked for denial statistics."),
            (104, "note", "Delay data: average wait 9.4 days across 212 requests", None),
        ),
    },
    {
        "title": "Claim denials for CPT 97530 (therapeutic activities)",
        "insurer": 0, "category": "claim_denial", "opened_days_ago": 720,
        "closed_days_ago": 425,
        "description": "Northbridge denied 97530 whenever billed on the same day as 97110, "
                       "citing a bundling edit that Medicare does not apply.",
        "desired_outcome": "Remove the bundling edit and reprocess denied claims.",
        "fallback": "Allow the pair with modifier 59 and reprocess the last 12 months.",
        "coverage_gap_regions": None,
        "unique_services": None,
        "events": (
            (0, "note", "Members report a wave of 97530 denials", None),
            (0, "stage_change", "preparation", None),
            (26, "letter", "Letter to the appeals and grievances manager with 140 denials",
             None),
            (58, "stage_change", "negotiation", None),
            (63, "meeting", "Meeting with the medical director", None),
            (149, "stage_change", "escalation", None),
            (151, "complaint", "Complaint to the Division of Financial Regulation", None),
            (240, "insurer_action", "Northbridge accepts modifier 59 with the pair", None),
            (295, "stage_change", "resolved_partial", None),
        ),
    },
    {
        "title": "Narrow network in Eastern Oregon",
        "insurer": 1, "category": "narrow_network", "opened_days_ago": 205,
        "closed_days_ago": None,
        "description": "Silver Basin closed its PT network in Eastern Oregon; members in "
                       "Pendleton and La Grande drive over an hour to an in-network clinic, and "
                       "two qualified practices have waited a year to be admitted.",
        "desired_outcome": "Open the network to every qualified practice in Eastern Oregon.",
        "fallback": "Single-case agreements for vestibular and pelvic-floor therapy.",
        "coverage_gap_regions": "Eastern Oregon",
        "unique_services": "Vestibular rehabilitation, Pelvic floor therapy, Paediatric PT",
        "events": (
            (0, "note", "Two Pendleton practices refused admission to the network", None),
            (0, "stage_change", "relationship_building", None),
            (34, "meeting", "Meeting with the regional network manager",
             "Network manager admits travel times exceed the state standard."),
            (61, "stage_change", "preparation", None),
            (88, "note", "Travel-time map of members without an in-network clinic", None),
            (130, "letter", "Letter to the VP Network Management with the map", None),
            (152, "stage_change", "negotiation", None),
            (176, "call", "Call with the regional network manager",
             "Offers single-case agreements; contracting decision at the next quarterly review."),
        ),
    },
    {
        "title": "Credentialing delays",
        "insurer": 2, "category": "credentialing", "opened_days_ago": 930,
        "closed_days_ago": 610,
        "description": "New therapists joining a contracted practice waited 120–180 days for "
                       "Harborlight's credentialing and could not bill meanwhile.",
        "desired_outcome": "Credentialing within 45 days, with retroactive billing.",
        "fallback": "Provisional credentialing after 60 days.",
        "coverage_gap_regions": "Central Oregon",
        "unique_services": None,
        "events": (
            (0, "note", "Survey: average credentialing time 143 days", None),
            (0, "stage_change", "preparation", None),
            (40, "stage_change", "negotiation", None),
            (44, "meeting", "Meeting with the provider-relations manager", None),
            (120, "letter", "Letter to the Director of Government Affairs", None),
            (201, "meeting", "Agreement negotiated with the VP Network Management", None),
            (240, "insurer_action", "Harborlight commits to 45-day credentialing", None),
            (320, "stage_change", "resolved_agreement", None),
        ),
    },
)
