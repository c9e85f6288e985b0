from django.urls import path

from aptrack.commissioning import contract_views, spend_views, views

app_name = "commissioning"
urlpatterns = [
    path("", views.invoice_list, name="invoices"),
    path("upload/", views.upload, name="upload"),
    path("export/", views.export, name="export"),
    path("spend/", spend_views.spend_page, name="spend"),
    path("spend/budget/", spend_views.budget_page, name="budget"),
    path("<int:invoice_id>/", views.invoice_detail, name="invoice"),
    path("<int:invoice_id>/decide/", views.decide, name="decide"),
    path("contracts/", contract_views.contract_list, name="contracts"),
    path("contracts/new/", contract_views.contract_new, name="contract_new"),
    path("contracts/<int:contract_id>/", contract_views.contract_detail, name="contract"),
    path("contracts/<int:contract_id>/edit/", contract_views.contract_edit, name="contract_edit"),
    path("contracts/<int:contract_id>/rates/new/", contract_views.rate_new, name="rate_new"),
]
