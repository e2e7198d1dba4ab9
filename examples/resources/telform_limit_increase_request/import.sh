# By the id telform assigned (the `id` attribute):
terraform import telform_limit_increase_request.example limit_increase_request_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the limit increase request by its account's platform id and its own, as the vendor's console shows them.
terraform import telform_limit_increase_request.example platform:acc-3/limit-increase-request-42
