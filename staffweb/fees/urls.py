"""URLs of the fee administrator's pages (#15), included at /staff/fees/."""

from django.urls import path

from staffweb.fees import views

urlpatterns = [
    path("", views.home, name="staff_fees"),
    path("periods/new/", views.period_new, name="staff_fee_period_new"),
    path("periods/<uuid:period_id>/", views.period, name="staff_fee_period"),
    path(
        "periods/<uuid:period_id>/create/",
        views.period_create_invoices,
        name="staff_fee_period_create",
    ),
    path(
        "periods/<uuid:period_id>/send/", views.period_send_invoices, name="staff_fee_period_send"
    ),
    path("invoices/<uuid:invoice_id>/", views.invoice, name="staff_fee_invoice"),
    path("liabilities/", views.liabilities, name="staff_fee_liabilities"),
    path("bank/", views.bank_files, name="staff_fee_bank"),
    path("bank/files/<uuid:file_id>/", views.bank_file, name="staff_fee_bank_file"),
    path("bank/inbox/", views.inbox, name="staff_fee_inbox"),
    path("bank/payments/<uuid:payment_id>/", views.bank_payment, name="staff_fee_bank_payment"),
]
