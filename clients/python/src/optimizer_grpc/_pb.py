"""One import point for the generated messages and stub, so the rest of the package never spells the path."""
from optimizer_grpc._generated.optimizer.v1 import analysis_pb2 as _analysis
from optimizer_grpc._generated.optimizer.v1 import event_pb2 as _event
from optimizer_grpc._generated.optimizer.v1 import optimizer_service_pb2 as _service
from optimizer_grpc._generated.optimizer.v1 import optimizer_service_pb2_grpc as _service_grpc
from optimizer_grpc._generated.optimizer.v1 import result_pb2 as _result
from optimizer_grpc._generated.optimizer.v1 import space_pb2 as _space
from optimizer_grpc._generated.optimizer.v1 import study_pb2 as _study
from optimizer_grpc._generated.optimizer.v1 import trial_pb2 as _trial


class _Namespace:
    """Every generated message, enum and the stub under one name: ``pb.StudySpec``, ``pb.OptimizerServiceStub``."""

    def __init__(self, *modules: object) -> None:
        for module in modules:
            for name in dir(module):
                if not name.startswith("_"):
                    setattr(self, name, getattr(module, name))


pb = _Namespace(_space, _analysis, _trial, _study, _event, _result, _service, _service_grpc)
