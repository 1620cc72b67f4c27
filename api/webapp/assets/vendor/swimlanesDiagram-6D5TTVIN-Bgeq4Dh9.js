import{I as t,D as o}from"./flowDiagram-MIYXRJYK-BIsqBrmj.js";import"./chunk-A3LLD7C6-CT033ewL.js";import"./chunk-CG7VIXT6-wPbx3FBI.js";import"./chunk-AEP47HME-CwikbZ9E.js";import{m as e}from"./mermaid.esm.min-SvkkrHQq.js";import"./chunk-C7QCCU7L-O7Qr8D2f.js";import"../index-Cwfx0Nup.js";var a=e(r=>`${o(r)}
  .swimlane.cluster:not([data-color-id]) rect {
    stroke: ${r.clusterBorder} !important;
  }
  [data-look="neo"].cluster rect {
    filter: none;
  }
`,"getStyles"),m=a,f=t({styles:m});export{f as diagram};
