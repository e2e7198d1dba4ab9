# By the id telform assigned (the `id` attribute):
terraform import telform_account_playlist.example account_playlist_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the account's settings by the account's platform id, as the vendor's console shows them.
terraform import telform_account_playlist.example platform:acc-3
