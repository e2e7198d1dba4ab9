# By the id telform assigned (the `id` attribute):
terraform import telform_sso_connector.example sso_connector_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the sso connector by its account's platform id and its own, as the vendor's console shows them.
terraform import telform_sso_connector.example platform:acc-3/sso-connector-42
