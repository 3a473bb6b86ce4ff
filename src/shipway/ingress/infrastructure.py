"""One ALB per environment: TLS when a domain is set, WAF, access logs, routing rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_route53_targets as targets
from aws_cdk import aws_s3 as s3
from constructs import Construct

from shipway.compliance import acknowledge, skip_checkov
from shipway.observability.log_bucket import LogBucket

if TYPE_CHECKING:
    from shipway.ingress.firewall import WebFirewall
    from shipway.manifest.environment import Domain
    from shipway.network.infrastructure import Network


class PublicLoadBalancer(Construct):
    """Internet-facing ALB shared by the environment's web services."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        network: Network,
        domain: Domain | None,
        deletion_protection: bool,
        retain_logs: bool,
        log_retention_days: int,
        firewall: WebFirewall,
    ) -> None:
        super().__init__(scope, construct_id)
        self.domain = domain
        self.security_group = ec2.SecurityGroup(
            self,
            "SecurityGroup",
            vpc=network.vpc,
            allow_all_outbound=False,
            description="Public load balancer: HTTP(S) from the internet, out to services only",
        )
        self.load_balancer = elbv2.ApplicationLoadBalancer(
            self,
            "LoadBalancer",
            vpc=network.vpc,
            internet_facing=True,
            vpc_subnets=network.public_subnets,
            security_group=self.security_group,
            drop_invalid_header_fields=True,
            deletion_protection=deletion_protection,
        )
        self.load_balancer.log_access_logs(self._access_log_bucket(log_retention_days, retain_logs))
        firewall.protect(self, self.load_balancer.load_balancer_arn)
        self.listener = self._listeners()
        self._internet_ingress_reason()

    @property
    def is_https(self) -> bool:
        return self.domain is not None

    @property
    def base_url(self) -> str:
        if self.domain is not None:
            return f"https://{self.domain.record_name}"
        return f"http://{self.load_balancer.load_balancer_dns_name}"

    def _access_log_bucket(self, retention_days: int, retain: bool) -> s3.IBucket:
        logs = LogBucket(self, "AccessLogs", retain=retain, retention_days=retention_days)
        return logs.bucket

    def _listeners(self) -> elbv2.ApplicationListener:
        not_found = elbv2.ListenerAction.fixed_response(
            404, content_type="text/plain", message_body="no service is routed here"
        )
        if self.domain is None:
            listener = self.load_balancer.add_listener(
                "Http",
                port=80,
                protocol=elbv2.ApplicationProtocol.HTTP,
                open=True,
                default_action=not_found,
            )
            reason = (
                "No domain is configured for this environment, so there is no "
                "certificate; shipway synth warns. Set environments.<env>.domain for HTTPS."
            )
            for check in ("CKV_AWS_2", "CKV_AWS_103"):
                skip_checkov(listener, check, reason)
            return listener
        listener = self.load_balancer.add_listener(
            "Https",
            port=443,
            protocol=elbv2.ApplicationProtocol.HTTPS,
            open=True,
            ssl_policy=elbv2.SslPolicy.TLS13_RES,
            certificates=[self._certificate(self.domain)],
            default_action=not_found,
        )
        self.load_balancer.add_redirect(source_port=80, target_port=443)
        self._alias_record(self.domain)
        return listener

    def _certificate(self, domain: Domain) -> elbv2.IListenerCertificate:
        if domain.certificate_arn:
            return elbv2.ListenerCertificate.from_arn(domain.certificate_arn)
        certificate = acm.Certificate(
            self,
            "Certificate",
            domain_name=domain.record_name,
            validation=acm.CertificateValidation.from_dns(self._zone(domain)),
        )
        return elbv2.ListenerCertificate.from_certificate_manager(certificate)

    def _zone(self, domain: Domain) -> route53.IHostedZone:
        if not hasattr(self, "_hosted_zone"):
            self._hosted_zone = route53.HostedZone.from_hosted_zone_attributes(
                self, "Zone", hosted_zone_id=domain.zone_id, zone_name=domain.zone
            )
        return self._hosted_zone

    def _alias_record(self, domain: Domain) -> None:
        route53.ARecord(
            self,
            "Alias",
            zone=self._zone(domain),
            record_name=domain.record_name,
            target=route53.RecordTarget.from_alias(targets.LoadBalancerTarget(self.load_balancer)),
        )

    def _internet_ingress_reason(self) -> None:
        acknowledge(
            self.security_group,
            "EC23",
            "An internet-facing load balancer accepts "
            "HTTP(S) from any address by design; services accept traffic only from it.",
        )
        if self.domain is not None:
            skip_checkov(self.security_group, "CKV_AWS_260", "Port 80 only redirects to 443.")
        else:
            skip_checkov(
                self.security_group,
                "CKV_AWS_260",
                "No domain yet: HTTP is the only "
                "listener; shipway synth warns and a domain turns on HTTPS.",
            )

    def route(
        self,
        *,
        name: str,
        target_group: elbv2.IApplicationTargetGroup,
        priority: int,
        path_pattern: str,
        host: str | None,
    ) -> elbv2.ApplicationListenerRule:
        """Send requests matching path (and host) to a service's target group."""
        conditions = [elbv2.ListenerCondition.path_patterns([path_pattern])]
        if host:
            conditions.append(elbv2.ListenerCondition.host_headers([host]))
        return elbv2.ApplicationListenerRule(
            self,
            f"{name}Rule",
            listener=self.listener,
            priority=priority,
            conditions=conditions,
            target_groups=[target_group],
        )
