# By the id telform assigned (the `id` attribute):
terraform import telform_user.example user_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the user by its account's platform id and its own, as the vendor's console shows them.
terraform import telform_user.example platform:acc-3/user-42
