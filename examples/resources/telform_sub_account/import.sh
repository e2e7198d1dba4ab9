# By the id telform assigned (the `id` attribute):
terraform import telform_sub_account.example sub_account_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the sub account by its account's platform id and its own, as the vendor's console shows them.
terraform import telform_sub_account.example platform:acc-3/acc-7
