"""Client: typed calls over the generated stub. Errors surface as OptimizerError subclasses."""
from __future__ import annotations

import functools
import threading
from datetime import timedelta
from typing import Any, Callable, Iterator, Optional, Sequence, TypeVar, Union

import grpc

from optimizer_grpc._backoff import TRANSIENT, Backoff
from optimizer_grpc._connection import Credentials, RootCertificates, endpoint, open_channel
from optimizer_grpc._pb import pb
from optimizer_grpc.analysis import AnalysisOptions, StudyAnalysis
from optimizer_grpc.builder import StudyBuilder, as_spec
from optimizer_grpc.errors import from_rpc_error
from optimizer_grpc.model import (AskResult, Study, StudyEvent, StudyState, TellResult, TellStatus, Trial, TrialOutcome, TrialPage,
                                  TrialState)
from optimizer_grpc.study_result import EquityCurves, StudyResult

T = TypeVar("T")

# Large outcomes (an equity curve of 62k bars) and results exceed gRPC's 4 MB default.
_CHANNEL_OPTIONS = [("grpc.max_receive_message_length", 256 * 1024 * 1024),
                    ("grpc.max_send_message_length", 256 * 1024 * 1024)]


def _translated(call: Callable[..., T]) -> Callable[..., T]:
    @functools.wraps(call)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return call(*args, **kwargs)
        except grpc.RpcError as e:
            raise from_rpc_error(e) from None
    return wrapper


class Client:
    """``with Client("127.0.0.1:5000") as c: study = c.create_study(builder)``.

    ``address`` is ``host:port`` or ``http://host:port`` (cleartext) or ``https://host:port`` (TLS, verified
    against the system's roots or ``root_certificates``: a PEM file path or PEM bytes; given with an address
    without a scheme it turns TLS on). Credentials go as metadata on every call: ``api_key`` (``x-api-key``) or
    ``token`` (``authorization: Bearer``). Left None they fall back to $OPTIMIZER_API_KEY, then $OPTIMIZER_TOKEN,
    and the CA of an https address to $OPTIMIZER_TLS_CA; ``api_key=""`` sends no credentials whatever the
    environment says. The secret is never logged nor part of ``repr``.
    """

    def __init__(self, address: str, timeout: Optional[float] = 60.0, api_key: Optional[str] = None,
                 token: Optional[str] = None, root_certificates: RootCertificates = None) -> None:
        where = endpoint(address, root_certificates)
        self.address = address
        self.timeout = timeout
        self.tls = where.tls
        self._credentials = Credentials(api_key, token)
        self._channel = self._credentials.intercept(open_channel(where, _CHANNEL_OPTIONS))
        self.stub = pb.OptimizerServiceStub(self._channel)
        self.closed = False

    @property
    def credentials_kind(self) -> str:
        """Which credentials the client sends: "api key", "bearer token" or "none"."""
        return self._credentials.kind

    def __repr__(self) -> str:
        return (f"Client({self.address!r}, tls={self.tls}, credentials={self.credentials_kind!r}"
                f"{', closed' if self.closed else ''})")

    def close(self) -> None:
        self._channel.close()
        self.closed = True

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # Study lifecycle

    @_translated
    def create_study(self, spec: Union[StudyBuilder, Any], study_id: Optional[str] = None,
                     start_paused: bool = False) -> Study:
        """Creates a study; with a study_id, an identical existing study is returned (see ``created``)."""
        response = self.stub.CreateStudy(pb.CreateStudyRequest(
            study_id=study_id or "", spec=as_spec(spec), start_paused=start_paused), timeout=self.timeout)
        return Study.from_proto(response.study)

    @_translated
    def get_study(self, study_id: str) -> Study:
        return Study.from_proto(self.stub.GetStudy(pb.GetStudyRequest(study_id=study_id), timeout=self.timeout).study)

    @_translated
    def _studies_page(self, states: Sequence[StudyState], page_size: int, token: str) -> Any:
        return self.stub.ListStudies(pb.ListStudiesRequest(page_size=page_size, page_token=token,
                                                           states=[int(s) for s in states]), timeout=self.timeout)

    def list_studies(self, states: Sequence[StudyState] = (), page_size: int = 0) -> Iterator[Study]:
        """Every study (newest first), optionally only in the given states, fetching pages as needed."""
        token = ""
        while True:
            page = self._studies_page(states, page_size, token)
            for study in page.studies:
                yield Study.from_proto(study)
            token = page.next_page_token
            if not token:
                return

    @_translated
    def stop_study(self, study_id: str, reason: str = "") -> Study:
        return Study.from_proto(self.stub.StopStudy(pb.StopStudyRequest(study_id=study_id, reason=reason),
                                                    timeout=self.timeout).study)

    @_translated
    def pause_study(self, study_id: str) -> Study:
        return Study.from_proto(self.stub.PauseStudy(pb.PauseStudyRequest(study_id=study_id),
                                                     timeout=self.timeout).study)

    @_translated
    def resume_study(self, study_id: str) -> Study:
        return Study.from_proto(self.stub.ResumeStudy(pb.ResumeStudyRequest(study_id=study_id),
                                                      timeout=self.timeout).study)

    @_translated
    def delete_study(self, study_id: str) -> None:
        self.stub.DeleteStudy(pb.DeleteStudyRequest(study_id=study_id), timeout=self.timeout)

    # Ask / tell

    @_translated
    def ask(self, study_id: str, count: int = 1, worker_id: str = "",
            lease: Optional[timedelta] = None) -> AskResult:
        request = pb.AskTrialsRequest(study_id=study_id, count=count, worker_id=worker_id)
        if lease is not None:
            request.lease_duration.FromTimedelta(lease)
        r = self.stub.AskTrials(request, timeout=self.timeout)
        return AskResult([Trial.from_proto(t) for t in r.trials], r.study_finished, StudyState(r.study_state))

    @_translated
    def tell(self, trial: Trial, outcome: TrialOutcome, worker_id: str = "") -> TellResult:
        r = self.stub.TellTrial(pb.TellTrialRequest(
            study_id=trial.study_id, trial_number=trial.number, attempt=trial.attempt, outcome=outcome.to_proto(),
            worker_id=worker_id), timeout=self.timeout)
        return TellResult(TellStatus(r.status), Trial.from_proto(r.trial))

    # Progress and results

    def watch(self, study_id: str, after_sequence: int = 0, include_trials: bool = False,
              stop: Optional[threading.Event] = None) -> Iterator[StudyEvent]:
        """Events after ``after_sequence``, then live ones; ends when the server ends the stream (study finished).

        A dropped stream is reopened from the last delivered sequence, so no event is lost or repeated.
        """
        last, backoff = after_sequence, Backoff()
        while stop is None or not stop.is_set():
            call = self.stub.WatchStudy(pb.WatchStudyRequest(
                study_id=study_id, after_sequence=last, include_trials=include_trials))
            try:
                for message in call:
                    event = message.event
                    if event.sequence <= last:
                        continue  # overlap after a reconnect
                    last = event.sequence
                    backoff.reset()
                    yield StudyEvent.from_proto(event)
                return
            except grpc.RpcError as e:
                if e.code() not in TRANSIENT:
                    raise from_rpc_error(e) from None
            finally:
                call.cancel()
            if stop is not None:
                stop.wait(backoff.next())
            else:
                threading.Event().wait(backoff.next())

    @_translated
    def list_trials_page(self, study_id: str, page_token: str = "", page_size: int = 0, stage_id: str = "",
                         states: Sequence[TrialState] = (), after_sequence: int = 0) -> TrialPage:
        r = self.stub.ListTrials(pb.ListTrialsRequest(
            study_id=study_id, page_size=page_size, page_token=page_token, stage_id=stage_id,
            states=[int(s) for s in states], after_sequence=after_sequence), timeout=self.timeout)
        return TrialPage([Trial.from_proto(t) for t in r.trials], r.next_page_token, r.last_sequence)

    def list_trials(self, study_id: str, stage_id: str = "", states: Sequence[TrialState] = (),
                    after_sequence: int = 0, page_size: int = 0) -> Iterator[Trial]:
        """Every matching trial in number order, fetching pages as needed."""
        token = ""
        while True:
            page = self.list_trials_page(study_id, token, page_size, stage_id, states, after_sequence)
            yield from page.trials
            token = page.next_page_token
            if not token:
                return

    @_translated
    def get_result(self, study_id: str, *, include_analysis: bool = False, top_fraction: Optional[float] = None,
                   bins: Optional[int] = None, robust_top: Optional[int] = None, pbo_blocks: Optional[int] = None,
                   surface_parameters: Optional[int] = None, pbo_max_trials: Optional[int] = None,
                   mode_radius: Optional[float] = None) -> StudyResult:
        """The study's winners; with ``include_analysis`` also its analysis (``.analysis``), tuned by the options of
        ``analyze_study`` (an invalid one is an InvalidArgumentError naming ``analysis_options.<field>``)."""
        request = pb.GetStudyResultRequest(study_id=study_id, include_analysis=include_analysis)
        if include_analysis:
            request.analysis_options.CopyFrom(AnalysisOptions(
                top_fraction, bins, robust_top, pbo_blocks, surface_parameters, pbo_max_trials, mode_radius).to_proto())
        return StudyResult.from_proto(self.stub.GetStudyResult(request, timeout=self.timeout).result)

    @_translated
    def list_equity_curves(self, study_id: str, stage_id: str = "", top: int = 5) -> EquityCurves:
        """The kept equity curves of the best trials of a stage (every stage when ``stage_id`` is empty), ``top``
        per stage (at most ``kept_per_stage``, the number the server keeps), grouped by stage and best first."""
        if top < 0:
            raise ValueError(f"top must be >= 0 (0: the server's default of 5), got {top}")
        response = self.stub.ListEquityCurves(pb.ListEquityCurvesRequest(study_id=study_id, stage_id=stage_id, top=top),
                                              timeout=self.timeout)
        return EquityCurves.from_proto(response)

    @_translated
    def get_study_report(self, study_id: str, path: Optional[str] = None) -> str:
        """The study's report: one self-contained HTML document with the dashboard's views (data and scripts
        inlined) that opens offline. With ``path`` it is also written there (UTF-8)."""
        html = self.stub.GetStudyReport(pb.GetStudyReportRequest(study_id=study_id), timeout=self.timeout).html
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(html)
        return html

    @_translated
    def analyze_study(self, study_id: str, *, top_fraction: Optional[float] = None, bins: Optional[int] = None,
                      robust_top: Optional[int] = None, pbo_blocks: Optional[int] = None,
                      surface_parameters: Optional[int] = None, pbo_max_trials: Optional[int] = None,
                      mode_radius: Optional[float] = None) -> StudyAnalysis:
        """Each stage's importance, sensitivity, robustness, modes and overfitting statistics, plus the regime matrix
        and walk-forward summary; options left None take the server's defaults (see ``AnalysisOptions``). An
        out-of-range option is an InvalidArgumentError whose violation names ``options.<field>``."""
        options = AnalysisOptions(top_fraction, bins, robust_top, pbo_blocks, surface_parameters, pbo_max_trials,
                                  mode_radius)
        response = self.stub.AnalyzeStudy(pb.AnalyzeStudyRequest(study_id=study_id, options=options.to_proto()),
                                          timeout=self.timeout)
        return StudyAnalysis.from_proto(response.analysis)
