from django.urls import path

from aptrack.documents import views

app_name = "documents"

urlpatterns = [
    path("compliance/<int:pk>/", views.compliance_documents, name="compliance"),
    path("visits/<int:pk>/", views.visit_documents, name="visit"),
    path("placements/<int:pk>/", views.placement_documents, name="placement"),
    path("reports/<int:pk>/", views.report_documents, name="report"),
    path("<int:pk>/download/", views.download, name="download"),
]
