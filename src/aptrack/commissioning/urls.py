from django.urls import path

from aptrack.commissioning import views

app_name = "commissioning"
urlpatterns = [
    path("", views.invoice_list, name="invoices"),
    path("upload/", views.upload, name="upload"),
    path("export/", views.export, name="export"),
    path("<int:invoice_id>/", views.invoice_detail, name="invoice"),
    path("<int:invoice_id>/decide/", views.decide, name="decide"),
]
