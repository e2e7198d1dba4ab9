# By the id telform assigned (the `id` attribute):
terraform import telform_account.example account_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the account by its platform id, as the vendor's console shows them.
terraform import telform_account.example platform:acc-3
