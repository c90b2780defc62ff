"""What every new org starts with. Migration 0002 seeds orgs that existed before it."""

# (kind, name, colour, Bootstrap icon name)
DEFAULT_CATEGORIES = [
    ("income", "Salary", "#198754", "briefcase"),
    ("income", "Sales", "#20c997", "cart"),
    ("income", "Services", "#0dcaf0", "tools"),
    ("income", "Interest", "#6f42c1", "percent"),
    ("income", "Other income", "#adb5bd", "plus-circle"),
    ("expense", "Rent", "#dc3545", "house"),
    ("expense", "Utilities", "#fd7e14", "lightning"),
    ("expense", "Groceries", "#ffc107", "basket"),
    ("expense", "Payroll", "#0d6efd", "people"),
    ("expense", "Travel", "#6610f2", "airplane"),
    ("expense", "Software", "#0aa2c0", "laptop"),
    ("expense", "Marketing", "#d63384", "megaphone"),
    ("expense", "Taxes", "#495057", "bank"),
    ("expense", "Office", "#6c757d", "building"),
    ("expense", "Other expense", "#ced4da", "three-dots"),
]
DEFAULT_PAYMENT_METHODS = ["Cash", "Card", "Bank transfer", "Direct debit", "Cheque", "Other"]
