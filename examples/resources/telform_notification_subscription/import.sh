# By the id telform assigned (the `id` attribute):
terraform import telform_notification_subscription.example notification_subscription_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the notification subscription by its account's platform id and its own, as the vendor's console shows them.
terraform import telform_notification_subscription.example platform:acc-3/notification-subscription-42
