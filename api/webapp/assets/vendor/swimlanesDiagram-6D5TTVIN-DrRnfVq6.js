import{I as t,D as o}from"./flowDiagram-MIYXRJYK-CtltFcSo.js";import"./chunk-A3LLD7C6-D6kcLe7L.js";import"./chunk-CG7VIXT6-jX4Ig_gg.js";import"./chunk-AEP47HME-pIV2Smih.js";import{m as e}from"./mermaid.esm.min-B2BGW-Z4.js";import"./chunk-C7QCCU7L-TVReRMZF.js";import"../index-BzKdnApC.js";var a=e(r=>`${o(r)}
  .swimlane.cluster:not([data-color-id]) rect {
    stroke: ${r.clusterBorder} !important;
  }
  [data-look="neo"].cluster rect {
    filter: none;
  }
`,"getStyles"),m=a,f=t({styles:m});export{f as diagram};
