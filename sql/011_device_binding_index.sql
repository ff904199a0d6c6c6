-- Binding a device checks, inside the binding transaction and under an
-- advisory lock on the serial, that no other patient's stream holds the
-- device bound (its latest DeviceBound/DeviceUnbound for the serial is a
-- DeviceBound); this index keeps that check cheap without waiting for the
-- projector, whose device_bindings may lag behind the log.
CREATE INDEX events_device_serial ON events ((data->>'serial'), stream_id, position)
    WHERE type IN ('DeviceBound', 'DeviceUnbound');
