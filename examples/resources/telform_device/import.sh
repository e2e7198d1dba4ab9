# By the id telform assigned (the `id` attribute):
terraform import telform_device.example device_01jd8x0000000000000000000a

# Adopting what exists on the platform only: the device by its account's platform id and its own, as the vendor's console shows them.
terraform import telform_device.example platform:acc-3/device-42
