# By the id telform assigned (the `id` attribute):
terraform import telform_security_policy.example security_policy_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the account's settings by the account's platform id, as the vendor's console shows them.
terraform import telform_security_policy.example platform:acc-3
