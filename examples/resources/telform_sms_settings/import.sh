# By the id telform assigned (the `id` attribute):
terraform import telform_sms_settings.example sms_settings_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the account's settings by the account's platform id, as the vendor's console shows them.
terraform import telform_sms_settings.example platform:acc-3
