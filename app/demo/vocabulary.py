"""The words and ranges demo ledgers are made of (see demo_rows)."""

# Relative activity per calendar month (percent): busy end of year, quiet summer.
SEASON = (90, 85, 100, 100, 95, 80, 70, 65, 100, 105, 140, 160)
TAGS = (
    "reimbursable",
    "tax-deductible",
    "client-acme",
    "client-globex",
    "q4-campaign",
    "conference",
    "team",
    "office-move",
)

# category -> (min cents, max cents, descriptions, preferred payment methods)
EXPENSES: dict[str, tuple[int, int, tuple[str, ...], tuple[str, ...]]] = {
    "Utilities": (
        4_000,
        60_000,
        ("Electricity", "Water bill", "Internet", "Phone plan", "Gas"),
        ("Direct debit", "Bank transfer"),
    ),
    "Groceries": (
        500,
        25_000,
        ("Coffee and milk", "Team lunch", "Snacks", "Supermarket"),
        ("Card", "Cash"),
    ),
    "Payroll": (
        150_000,
        600_000,
        ("Freelancer invoice", "Contractor payment", "Bonus"),
        ("Bank transfer",),
    ),
    "Travel": (
        2_000,
        180_000,
        ("Train tickets", "Flight", "Hotel", "Taxi", "Fuel", "Parking"),
        ("Card",),
    ),
    "Software": (
        500,
        50_000,
        ("Cloud hosting", "Accounting software", "Design tools", "Domain renewal", "Office suite"),
        ("Card", "Direct debit"),
    ),
    "Marketing": (
        3_000,
        250_000,
        ("Online ads", "Flyers", "Trade fair stand", "Newsletter tool"),
        ("Card", "Bank transfer"),
    ),
    "Taxes": (
        10_000,
        400_000,
        ("VAT payment", "Corporate tax instalment", "Local business tax"),
        ("Bank transfer",),
    ),
    "Office": (
        800,
        90_000,
        ("Printer paper", "Desk chair", "Stationery", "Laptop", "Cleaning"),
        ("Card", "Cash", "Bank transfer"),
    ),
    "Other expense": (
        500,
        40_000,
        ("Bank fees", "Postage", "Gift for client", "Insurance"),
        ("Card", "Direct debit", "Cash", "Cheque"),
    ),
}
INCOMES: dict[str, tuple[int, int, tuple[str, ...], tuple[str, ...]]] = {
    "Sales": (
        2_000,
        350_000,
        ("Invoice paid", "Online shop orders", "Market stall takings", "Wholesale order"),
        ("Bank transfer", "Card", "Cash"),
    ),
    "Services": (
        20_000,
        500_000,
        ("Consulting", "Maintenance contract", "Workshop fee"),
        ("Bank transfer",),
    ),
    "Interest": (100, 5_000, ("Savings interest",), ("Bank transfer",)),
    "Other income": (
        1_000,
        80_000,
        ("Refund", "Grant", "Sold old equipment"),
        ("Bank transfer", "Cheque"),
    ),
}
EXPENSE_WEIGHTS = {
    "Utilities": 8,
    "Groceries": 22,
    "Payroll": 3,
    "Travel": 12,
    "Software": 14,
    "Marketing": 8,
    "Taxes": 3,
    "Office": 16,
    "Other expense": 14,
}
INCOME_WEIGHTS = {"Sales": 70, "Services": 22, "Interest": 3, "Other income": 5}
INCOME_SHARE = 20  # percent of the non-recurring rows

# Demo org names: an adjective and a trade; owners: a first and a last name.
ORG_ADJECTIVES = (
    "Harbor",
    "Northwind",
    "Bluebird",
    "Copper",
    "Evergreen",
    "Juniper",
    "Maple",
    "Orchard",
    "Riverside",
    "Summit",
    "Sunrise",
    "Willow",
    "Granite",
    "Lantern",
    "Meadow",
    "Pioneer",
)
ORG_TRADES = (
    "Bakery",
    "Design Studio",
    "Plumbing",
    "Bookshop",
    "Consulting",
    "Coffee Roasters",
    "Dental Clinic",
    "Florist",
    "Garage",
    "Print Shop",
    "Yoga Studio",
    "Architects",
    "Catering",
    "Bike Repair",
    "Web Agency",
    "Joinery",
)
FIRST_NAMES = ("Ana", "Ben", "Chloé", "David", "Emma", "Farid", "Greta", "Hugo", "Ines", "Jonas")
LAST_NAMES = ("Almeida", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Novak")
# Most demo orgs keep their books in euros.
ORG_CURRENCIES = ("EUR",) * 6 + ("USD", "GBP", "CHF", "SEK")
