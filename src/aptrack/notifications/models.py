"""Messages sent to staff by email or text (GOV.UK Notify), and each person's choices.

A Notification is one message to one person on one channel: queued to send at once, or held
for their daily digest; each attempt is counted, and the last error kept. Messages name no
child: they say what happened and link to the page that shows it to those who may see it.
"""

from django.db import models


class Frequency(models.TextChoices):
    IMMEDIATE = "IMMEDIATE", "As it happens"
    DIGEST = "DIGEST", "In a daily summary"


class Channel(models.TextChoices):
    EMAIL = "EMAIL", "Email"
    SMS = "SMS", "Text message"


class Status(models.TextChoices):
    HELD = "HELD", "Held for the daily summary"
    QUEUED = "QUEUED", "Queued"
    RETRYING = "RETRYING", "Failed, will retry"
    SENT = "SENT", "Sent"
    FAILED = "FAILED", "Failed"
    DIGESTED = "DIGESTED", "Sent in a daily summary"


class Preference(models.Model):
    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="notification_preference"
    )
    urgent = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    routine = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DIGEST)
    sms = models.BooleanField(default=False)
    mobile_number = models.CharField(max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sms=False) | ~models.Q(mobile_number=""),
                name="sms_needs_mobile_number",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification choices of {self.user}"


class Notification(models.Model):
    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(max_length=5, choices=Channel.choices)
    # What it is about: the template named in settings (an alert, an escalation, the digest).
    template = models.CharField(max_length=40)
    urgent = models.BooleanField(default=False)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The provider's id for the message (GOV.UK Notify's notification id), once sent.
    reference = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="notification_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["recipient", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.recipient}: {self.subject}"
