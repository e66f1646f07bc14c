import Foundation
import GatewayCore
import Testing

@testable import GatewayProvision

/// The rendered CloudWatch agent configuration against the agent's own schema, checked by a real JSON
/// Schema validator (python jsonschema, `scripts/checks/json-schema.py`). `fetch-config` refuses a
/// configuration its schema rejects, so an invalid file means an instance without logs and metrics.
@Suite("CloudWatch agent configuration")
struct CloudWatchAgentSchemaTests {
    /// The part of the agent's schema the rendered configuration uses, transcribed from
    /// `translator/config/schema.json` of aws/amazon-cloudwatch-agent (draft 7): at each level we
    /// write, every key the agent allows (`additionalProperties: false` where the agent has it), the
    /// required keys and the types. Sections we never write are allowed but not described. Two facts
    /// come from elsewhere and are stricter than the schema: `run_as_user` is a user name (agent
    /// docs: "Running the CloudWatch agent as a different user"), and `metric_unit` values are
    /// CloudWatch's standard units (the `Unit` of the CloudWatch API's `MetricDatum`/`MetricStat`).
    static let schema = #"""
        {
          "$schema": "http://json-schema.org/draft-07/schema#",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "agent": {
              "type": "object",
              "additionalProperties": true,
              "properties": {
                "metrics_collection_interval": {"$ref": "#/definitions/interval"},
                "logfile": {"type": "string", "maxLength": 4096},
                "region": {"type": "string", "minLength": 1, "maxLength": 64},
                "debug": {"type": "boolean"},
                "aws_sdk_log_level": {"type": "string"},
                "credentials": {"type": "object"},
                "omit_hostname": {"type": "boolean"},
                "service.name": {"type": "string", "minLength": 1, "maxLength": 255},
                "deployment.environment": {"type": "string", "minLength": 1, "maxLength": 259},
                "run_as_user": {"type": "string", "minLength": 1}
              }
            },
            "metrics": {
              "type": "object",
              "additionalProperties": false,
              "required": ["metrics_collected"],
              "properties": {
                "namespace": {"type": "string", "minLength": 1, "maxLength": 255},
                "append_dimensions": {
                  "type": "object",
                  "maxProperties": 30,
                  "additionalProperties": false,
                  "properties": {
                    "ImageId": {"const": "${aws:ImageId}"},
                    "InstanceId": {"const": "${aws:InstanceId}"},
                    "InstanceType": {"const": "${aws:InstanceType}"},
                    "AutoScalingGroupName": {"const": "${aws:AutoScalingGroupName}"}
                  }
                },
                "aggregation_dimensions": {
                  "type": "array",
                  "minItems": 1,
                  "maxItems": 1024,
                  "uniqueItems": true,
                  "items": {
                    "type": "array",
                    "maxItems": 30,
                    "uniqueItems": true,
                    "items": {"type": "string", "minLength": 1, "maxLength": 1024}
                  }
                },
                "metrics_collected": {
                  "type": "object",
                  "minProperties": 1,
                  "properties": {
                    "mem": {"$ref": "#/definitions/basicMetric"},
                    "disk": {
                      "allOf": [{"$ref": "#/definitions/basicMetric"}],
                      "properties": {
                        "resources": {"type": "array", "maxItems": 256, "items": {"type": "string", "minLength": 1, "maxLength": 4096}},
                        "ignore_file_system_types": {"type": "array"},
                        "drop_device": {"type": "boolean"}
                      }
                    }
                  },
                  "additionalProperties": {"$ref": "#/definitions/basicMetric"}
                },
                "metrics_destinations": {"type": "object"},
                "force_flush_interval": {"$ref": "#/definitions/interval"},
                "credentials": {"type": "object"},
                "endpoint_override": {"type": "string"},
                "service.name": {"type": "string"},
                "deployment.environment": {"type": "string"}
              }
            },
            "logs": {
              "type": "object",
              "additionalProperties": false,
              "anyOf": [{"required": ["logs_collected"]}, {"required": ["metrics_collected"]}],
              "properties": {
                "logs_collected": {
                  "type": "object",
                  "minProperties": 1,
                  "additionalProperties": false,
                  "properties": {
                    "files": {
                      "type": "object",
                      "additionalProperties": false,
                      "required": ["collect_list"],
                      "properties": {
                        "collect_list": {
                          "type": "array",
                          "minItems": 1,
                          "maxItems": 16384,
                          "uniqueItems": true,
                          "items": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["file_path"],
                            "properties": {
                              "file_path": {"type": "string", "maxLength": 4096},
                              "log_group_name": {"type": "string", "minLength": 1, "maxLength": 512},
                              "log_stream_name": {"type": "string", "minLength": 1, "maxLength": 512},
                              "log_group_class": {"type": "string"},
                              "multi_line_start_pattern": {"type": "string"},
                              "timestamp_format": {"type": "string"},
                              "timezone": {"enum": ["Local", "LOCAL", "UTC"]},
                              "trim_timestamp": {"type": "boolean"},
                              "encoding": {"type": "string"},
                              "auto_removal": {"type": "boolean"},
                              "backpressure_mode": {"enum": ["fd_release"]},
                              "blacklist": {"type": "string"},
                              "publish_multi_logs": {"type": "boolean"},
                              "retention_in_days": {"type": "integer"},
                              "filters": {"type": "array"},
                              "service.name": {"type": "string"},
                              "deployment.environment": {"type": "string"}
                            }
                          }
                        }
                      }
                    },
                    "windows_events": {"type": "object"},
                    "journald": {"type": "object"},
                    "application_signals": {"type": "object"}
                  }
                },
                "metrics_collected": {
                  "type": "object",
                  "additionalProperties": true,
                  "properties": {
                    "prometheus": {
                      "type": "object",
                      "additionalProperties": false,
                      "properties": {
                        "cluster_name": {"type": "string"},
                        "log_group_name": {"type": "string"},
                        "prometheus_config_path": {"type": "string"},
                        "emf_processor": {"$ref": "#/definitions/emfProcessor"},
                        "ecs_service_discovery": {"type": "object"},
                        "disable_metric_extraction": {"type": "boolean"}
                      }
                    }
                  }
                },
                "log_stream_name": {"type": "string"},
                "force_flush_interval": {"$ref": "#/definitions/interval"},
                "credentials": {"type": "object"},
                "endpoint_override": {"type": "string"},
                "service.name": {"type": "string"},
                "deployment.environment": {"type": "string"},
                "concurrency": {"type": "integer"}
              }
            },
            "traces": {"type": "object"},
            "opentelemetry": {"type": "object"}
          },
          "definitions": {
            "interval": {"type": "integer", "minimum": 1, "maximum": 172800},
            "basicMetric": {
              "type": "object",
              "required": ["measurement"],
              "properties": {
                "metrics_collection_interval": {"$ref": "#/definitions/interval"},
                "append_dimensions": {"type": "object", "maxProperties": 30, "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 1024}},
                "measurement": {"type": "array", "uniqueItems": true, "items": {"type": "string", "minLength": 1, "maxLength": 255}}
              }
            },
            "emfProcessor": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "metric_declaration_dedup": {"type": "boolean"},
                "metric_namespace": {"type": "string"},
                "metric_unit": {
                  "type": "object",
                  "additionalProperties": {
                    "enum": ["Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
                             "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
                             "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
                             "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None"]
                  }
                },
                "metric_declaration": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                      "source_labels": {"type": "array", "items": {"type": "string"}},
                      "label_matcher": {"type": "string"},
                      "label_separator": {"type": "string"},
                      "metric_selectors": {"type": "array", "items": {"type": "string"}},
                      "dimensions": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}}
                    }
                  }
                }
              }
            }
          }
        }
        """#

    /// Writes the schema and the given documents into a new directory and validates them.
    static func validate(_ documents: [(name: String, text: String)]) throws -> TestSupport.Run {
        let directory = try TestSupport.temporaryDirectory(prefix: "agent-schema")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try schema.write(toFile: directory + "/schema.json", atomically: true, encoding: .utf8)
        var paths: [String] = []
        for document in documents {
            let path = directory + "/\(document.name).json"
            try document.text.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        return try TestSupport.check("json-schema.py", [directory + "/schema.json"] + paths)
    }

    @Test("every variant's agent configuration is valid against the agent's schema")
    func variantsAreValid() throws {
        let variants = try RenderVariants.all()
        var documents: [(name: String, text: String)] = []
        for variant in variants {
            var config = variant.config
            // Variants without CloudWatch render no agent file; their other settings still shape it.
            config.monitoring.cloudWatch = true
            documents.append((variant.name, CloudWatchAgentConfig.render(config)))
            config.monitoring.prometheus = !config.monitoring.prometheus
            documents.append((variant.name + "-prometheus-\(config.monitoring.prometheus ? "on" : "off")", CloudWatchAgentConfig.render(config)))
        }
        #expect(documents.contains { $0.text.contains("\"prometheus\"") }, "at least one configuration imports the proxies' metrics")
        let run = try Self.validate(documents)
        #expect(run.status == 0, "the agent's schema rejects rendered configurations:\n\(run.output)")
        #expect(run.output.isEmpty, "\(run.output)")
    }

    /// The layout of issue 13 (`prometheus` among the log sources) and a wrong type must fail, so the
    /// schema above really constrains what the agent would refuse.
    @Test("the schema rejects prometheus under logs_collected and wrong types")
    func schemaRejectsTheOldLayout() throws {
        let text = CloudWatchAgentConfig.render(try TestSupport.exampleConfig())
        var agent = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var logs = try #require(agent["logs"] as? [String: Any])
        var sources = try #require(logs["logs_collected"] as? [String: Any])
        let prometheus = try #require((logs["metrics_collected"] as? [String: Any])?["prometheus"])
        sources["prometheus"] = prometheus
        logs["logs_collected"] = sources
        logs["metrics_collected"] = nil
        agent["logs"] = logs
        let misplaced = String(decoding: try JSONSerialization.data(withJSONObject: agent), as: UTF8.self)
        let mistyped = text.replacingOccurrences(of: "\"metrics_collection_interval\": 60", with: "\"metrics_collection_interval\": \"60\"")
        #expect(mistyped != text)
        let badUnit = text.replacingOccurrences(of: "\"Count\"", with: "\"Requests\"")
        #expect(badUnit != text)
        let run = try Self.validate([("misplaced", misplaced), ("mistyped", mistyped), ("bad-unit", badUnit)])
        #expect(run.status == 2, "\(run.output)")
        #expect(run.stdout.contains("misplaced.json: /logs/logs_collected: Additional properties are not allowed ('prometheus' was unexpected)"), "\(run.output)")
        #expect(run.stdout.contains("mistyped.json: /agent/metrics_collection_interval: '60' is not of type 'integer'"), "\(run.output)")
        #expect(run.stdout.contains("bad-unit.json: /logs/metrics_collected/prometheus/emf_processor/metric_unit/"), "\(run.output)")
    }
}
