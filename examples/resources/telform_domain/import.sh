# By the id telform assigned (the `id` attribute):
terraform import telform_domain.example domain_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the domain by its account's platform id and its own, as the vendor's console shows them.
terraform import telform_domain.example platform:acc-3/domain-42
